package io.hookcast.verify;

import io.hookcast.crypto.Hmac;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** GitHub: {@code X-Hub-Signature-256: sha256=<hex HMAC of the body>}. No timestamp, so no replay window. */
final class GitHubVerifier implements SignatureVerifier {

  static final String HEADER = "X-Hub-Signature-256";
  private static final String PREFIX = "sha256=";

  private final Keys keys;

  GitHubVerifier(Keys keys) {
    this.keys = keys;
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String header = headers.get(HEADER);
    if (header == null) {
      return Verdict.MISSING_SIGNATURE_HEADER;
    }
    Optional<byte[]> presented = header.startsWith(PREFIX) ? Encodings.hex(header.substring(PREFIX.length())) : Optional.empty();
    if (presented.isEmpty()) {
      return Verdict.MALFORMED_SIGNATURE_HEADER;
    }
    byte[] message = body.getBytes();
    return keys.anyMatches(List.of(presented.get()), key -> Hmac.sha256(key, message)) ? Verdict.ACCEPTED : Verdict.SIGNATURE_MISMATCH;
  }
}
