package io.hookcast.verify;

import io.hookcast.crypto.Hmac;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shopify: {@code X-Shopify-Hmac-Sha256: <base64 HMAC of the body>}. No timestamp, so no replay window. */
final class ShopifyVerifier implements SignatureVerifier {

  static final String HEADER = "X-Shopify-Hmac-Sha256";

  private final Keys keys;

  ShopifyVerifier(Keys keys) {
    this.keys = keys;
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String header = headers.get(HEADER);
    if (header == null) {
      return Verdict.MISSING_SIGNATURE_HEADER;
    }
    Optional<byte[]> presented = Encodings.base64(header.trim());
    if (presented.isEmpty()) {
      return Verdict.MALFORMED_SIGNATURE_HEADER;
    }
    byte[] message = body.getBytes();
    return keys.anyMatches(List.of(presented.get()), key -> Hmac.sha256(key, message)) ? Verdict.ACCEPTED : Verdict.SIGNATURE_MISMATCH;
  }
}
