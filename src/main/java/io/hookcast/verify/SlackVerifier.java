package io.hookcast.verify;

import io.hookcast.crypto.Hmac;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Slack: {@code X-Slack-Signature: v0=<hex HMAC of "v0:" + timestamp + ":" + body>}, the timestamp in
 * {@code X-Slack-Request-Timestamp}.
 */
final class SlackVerifier implements SignatureVerifier {

  static final String SIGNATURE_HEADER = "X-Slack-Signature";
  static final String TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";
  private static final String PREFIX = "v0=";

  private final Keys keys;
  private final long toleranceSeconds;

  SlackVerifier(Keys keys, long toleranceSeconds) {
    this.keys = keys;
    this.toleranceSeconds = toleranceSeconds;
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String signature = headers.get(SIGNATURE_HEADER);
    String timestamp = headers.get(TIMESTAMP_HEADER);
    if (signature == null || timestamp == null) {
      return Verdict.MISSING_SIGNATURE_HEADER;
    }
    OptionalLong seconds = Encodings.unixSeconds(timestamp);
    Optional<byte[]> presented = signature.startsWith(PREFIX) ? Encodings.hex(signature.substring(PREFIX.length())) : Optional.empty();
    if (seconds.isEmpty() || presented.isEmpty()) {
      return Verdict.MALFORMED_SIGNATURE_HEADER;
    }
    byte[] base = ("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII);
    if (!keys.anyMatches(List.of(presented.get()), key -> Hmac.sha256(key, base, body))) {
      return Verdict.SIGNATURE_MISMATCH;
    }
    // Checked after the signature, so that only a genuine but replayed (or clock-skewed) request is told so.
    return Encodings.within(seconds.getAsLong(), now, toleranceSeconds) ? Verdict.ACCEPTED : Verdict.TIMESTAMP_OUTSIDE_TOLERANCE;
  }
}
