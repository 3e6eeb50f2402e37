package io.hookcast.verify;

import io.hookcast.crypto.Hmac;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The schemes that sign the raw body alone, with no timestamp and so no replay window: GitHub
 * ({@code X-Hub-Signature-256: sha256=<hex>}) and Shopify ({@code X-Shopify-Hmac-Sha256: <base64>}). They differ
 * only in the header and in how the digest is written.
 */
final class BodyHmacVerifier implements SignatureVerifier {

  static final String GITHUB_HEADER = "X-Hub-Signature-256";
  static final String SHOPIFY_HEADER = "X-Shopify-Hmac-Sha256";
  private static final String GITHUB_PREFIX = "sha256=";
  /** GitHub and Shopify sign the body alone. */
  private static final byte[] NO_PREFIX = new byte[0];

  private final String header;
  private final Function<String, Optional<byte[]>> decode;
  private final Keys keys;

  private BodyHmacVerifier(String header, Function<String, Optional<byte[]>> decode, Keys keys) {
    this.header = header;
    this.decode = decode;
    this.keys = keys;
  }

  static BodyHmacVerifier github(Keys keys) {
    return new BodyHmacVerifier(GITHUB_HEADER, value -> value.startsWith(GITHUB_PREFIX)
      ? Encodings.hex(value.substring(GITHUB_PREFIX.length())) : Optional.empty(), keys);
  }

  static BodyHmacVerifier shopify(Keys keys) {
    return new BodyHmacVerifier(SHOPIFY_HEADER, value -> Encodings.base64(value.trim()), keys);
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String value = headers.get(header);
    if (value == null) {
      return Verdict.MISSING_SIGNATURE_HEADER;
    }
    Optional<byte[]> presented = decode.apply(value);
    if (presented.isEmpty()) {
      return Verdict.MALFORMED_SIGNATURE_HEADER;
    }
    return keys.anyMatches(List.of(presented.get()), key -> Hmac.sha256(key, NO_PREFIX, body)) ? Verdict.ACCEPTED
      : Verdict.SIGNATURE_MISMATCH;
  }
}
