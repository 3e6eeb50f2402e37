package io.hookcast.verify;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import static io.hookcast.config.VerifyConfig.Scheme.STRIPE;
import static io.hookcast.verify.Vectors.headers;
import static io.hookcast.verify.Vectors.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stripe publishes no fixed vector; its libraries' test helper ({@code generateTestHeaderString} in stripe-node,
 * src/Webhooks.ts) builds {@code t=<timestamp>,v1=<hex HMAC-SHA256 of timestamp + "." + payload>} keyed with the
 * {@code whsec_} secret string as given. {@link #header} does the same here; {@link #PINNED} is that header for
 * fixed values, computed outside Java with {@code openssl dgst -sha256 -hmac whsec_test_secret}.
 */
class StripeVerifierTest {

  private static final String SECRET = "whsec_test_secret";
  private static final String PAYLOAD = "{\"id\":\"evt_test_webhook\",\"object\":\"event\"}";
  private static final long T = 1_700_000_000L;
  private static final String PINNED = "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990";
  private static final Instant NOW = Instant.ofEpochSecond(T + 10);

  @Test
  void ourHeaderBuilderAgreesWithOpenssl() {
    assertEquals(PINNED, header(T, PAYLOAD, SECRET));
  }

  @Test
  void acceptsAHeaderBuiltLikeStripesTestHelper() {
    assertEquals(Verdict.ACCEPTED, verifier(STRIPE, SECRET).verify(stripe(PINNED), Buffer.buffer(PAYLOAD), NOW));
  }

  @Test
  void keysWithTheWholeSecretIncludingItsPrefix() {
    String decodedStyle = header(T, PAYLOAD, "test_secret");
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(STRIPE, SECRET).verify(stripe(decodedStyle), Buffer.buffer(PAYLOAD), NOW));
  }

  @Test
  void acceptsAnyOfSeveralV1SignaturesAsStripeSendsWhileRollingASecret() {
    String other = header(T, PAYLOAD, "whsec_other").substring(("t=" + T + ",").length());
    String mine = PINNED.substring(("t=" + T + ",").length());
    String rolled = "t=" + T + "," + other + "," + mine + ",v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39";
    assertEquals(Verdict.ACCEPTED, verifier(STRIPE, SECRET).verify(stripe(rolled), Buffer.buffer(PAYLOAD), NOW));
  }

  @Test
  void acceptsAnyOfSeveralConfiguredSecrets() {
    assertEquals(Verdict.ACCEPTED, verifier(STRIPE, "whsec_new", SECRET).verify(stripe(PINNED), Buffer.buffer(PAYLOAD), NOW));
  }

  @Test
  void rejectsATamperedBody() {
    assertEquals(Verdict.SIGNATURE_MISMATCH,
      verifier(STRIPE, SECRET).verify(stripe(PINNED), Buffer.buffer(PAYLOAD.replace("evt_test", "evt_live")), NOW));
  }

  @Test
  void rejectsTheWrongSecret() {
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(STRIPE, "whsec_wrong").verify(stripe(PINNED), Buffer.buffer(PAYLOAD), NOW));
  }

  @Test
  void rejectsATimestampChangedUnderTheSignature() {
    String moved = PINNED.replace("t=1700000000", "t=1700000005");
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(STRIPE, SECRET).verify(stripe(moved), Buffer.buffer(PAYLOAD), NOW));
  }

  @Test
  void rejectsAStaleOrFutureTimestampByDefaultAfterFiveMinutes() {
    SignatureVerifier verifier = verifier(STRIPE, SECRET);
    assertEquals(Verdict.ACCEPTED, verifier.verify(stripe(PINNED), Buffer.buffer(PAYLOAD), Instant.ofEpochSecond(T + 300)));
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE, verifier.verify(stripe(PINNED), Buffer.buffer(PAYLOAD), Instant.ofEpochSecond(T + 301)));
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE, verifier.verify(stripe(PINNED), Buffer.buffer(PAYLOAD), Instant.ofEpochSecond(T - 301)));
  }

  @Test
  void namesAMissingOrMalformedHeader() {
    SignatureVerifier verifier = verifier(STRIPE, SECRET);
    Buffer body = Buffer.buffer(PAYLOAD);
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers(), body, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(stripe("v1=d95c6b74"), body, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(stripe("t=1700000000"), body, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(stripe("t=soon," + PINNED.substring(13)), body, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(stripe("t=1,t=2," + PINNED.substring(13)), body, NOW));
  }

  /** What stripe-node's generateTestHeaderString returns for these options. */
  private static String header(long timestamp, String payload, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] signature = mac.doFinal((timestamp + "." + payload).getBytes(StandardCharsets.UTF_8));
      return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(signature);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static MultiMap stripe(String header) {
    return headers("Stripe-Signature", header);
  }
}
