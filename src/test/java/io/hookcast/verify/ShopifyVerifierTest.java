package io.hookcast.verify;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.hookcast.config.VerifyConfig.Scheme.SHOPIFY;
import static io.hookcast.verify.Vectors.headers;
import static io.hookcast.verify.Vectors.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Shopify publishes no test vector. {@link #SIGNATURE} was computed outside Java:
 * {@code printf '<BODY>' | openssl dgst -sha256 -hmac shpss_hush -binary | base64}.
 */
class ShopifyVerifierTest {

  private static final String SECRET = "shpss_hush";
  private static final Buffer BODY = Buffer.buffer("{\"id\":820982911946154508,\"email\":\"jon@example.com\"}");
  private static final String SIGNATURE = "minWArgZa/Hsplvy6dlnaKNnlyvuW8Y2ovDcBlzZSE0=";
  private static final Instant NOW = Instant.now();

  @Test
  void acceptsTheBase64HmacOfTheBody() {
    assertEquals(Verdict.ACCEPTED, verifier(SHOPIFY, SECRET).verify(headers("X-Shopify-Hmac-Sha256", SIGNATURE), BODY, NOW));
  }

  @Test
  void rejectsATamperedBody() {
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(SHOPIFY, SECRET)
      .verify(headers("X-Shopify-Hmac-Sha256", SIGNATURE), Buffer.buffer(BODY.toString().replace("jon", "bob")), NOW));
  }

  @Test
  void rejectsTheWrongSecret() {
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(SHOPIFY, "shpss_other").verify(headers("X-Shopify-Hmac-Sha256", SIGNATURE), BODY, NOW));
  }

  @Test
  void acceptsAnyOfSeveralSecretsSoThatOneCanBeRotated() {
    assertEquals(Verdict.ACCEPTED, verifier(SHOPIFY, "shpss_other", SECRET).verify(headers("X-Shopify-Hmac-Sha256", SIGNATURE), BODY, NOW));
  }

  @Test
  void namesAMissingOrMalformedHeader() {
    SignatureVerifier verifier = verifier(SHOPIFY, SECRET);
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers("X-Shopify-Topic", "orders/create"), BODY, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(headers("X-Shopify-Hmac-Sha256", "not base64!"), BODY, NOW));
  }
}
