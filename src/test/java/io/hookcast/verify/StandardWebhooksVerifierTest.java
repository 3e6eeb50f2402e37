package io.hookcast.verify;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.hookcast.config.VerifyConfig.Scheme.STANDARD_WEBHOOKS;
import static io.hookcast.verify.Vectors.headers;
import static io.hookcast.verify.Vectors.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Standard Webhooks test vector, as in the reference libraries' tests (standard-webhooks/standard-webhooks,
 * libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java, {@code verifyWebhookSignWorks}).
 */
class StandardWebhooksVerifierTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final String TIMESTAMP = "1614265330";
  private static final Buffer BODY = Buffer.buffer("{\"test\": 2432232314}");
  private static final String SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final Instant THEN = Instant.ofEpochSecond(1614265330 + 5);

  @Test
  void acceptsTheSpecsTestVector() {
    assertEquals(Verdict.ACCEPTED, verifier(STANDARD_WEBHOOKS, SECRET).verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, THEN));
  }

  /**
   * Svix, the service behind Clerk's and Resend's webhooks, signs by Standard Webhooks under its own header names, as
   * its libraries read them; a {@code webhook-id} added beside them is what the signature is checked over, so a
   * replay cannot bring an id of its own.
   */
  @Test
  void acceptsTheTestVectorUnderSvixHeaderNamesAndOnlyItsSignedId() {
    SignatureVerifier verifier = verifier(STANDARD_WEBHOOKS, SECRET);
    MultiMap svix = headers("svix-id", ID, "svix-timestamp", TIMESTAMP, "svix-signature", SIGNATURE);
    assertEquals(Verdict.ACCEPTED, verifier.verify(svix, BODY, THEN));
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier.verify(svix.copy().add("webhook-id", "msg_replayed"), BODY, THEN));
  }

  @Test
  void acceptsTheSecretWithoutItsPrefixAsTheReferenceLibrariesDo() {
    assertEquals(Verdict.ACCEPTED, verifier(STANDARD_WEBHOOKS, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
      .verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, THEN));
  }

  @Test
  void acceptsOneMatchAmongSeveralSpaceSeparatedSignatures() {
    String several = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= " + SIGNATURE;
    assertEquals(Verdict.ACCEPTED, verifier(STANDARD_WEBHOOKS, SECRET).verify(signed(ID, TIMESTAMP, several), BODY, THEN));
  }

  @Test
  void onlyVersionOneSignaturesCount() {
    String v2 = SIGNATURE.replace("v1,", "v2,");
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier(STANDARD_WEBHOOKS, SECRET).verify(signed(ID, TIMESTAMP, v2), BODY, THEN));
  }

  @Test
  void acceptsAnyOfSeveralSecretsSoThatOneCanBeRotated() {
    assertEquals(Verdict.ACCEPTED, verifier(STANDARD_WEBHOOKS, "whsec_dGhlIG5ldyBvbmU=", SECRET)
      .verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, THEN));
  }

  @Test
  void rejectsATamperedBodyIdOrTimestamp() {
    SignatureVerifier verifier = verifier(STANDARD_WEBHOOKS, SECRET);
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier.verify(signed(ID, TIMESTAMP, SIGNATURE), Buffer.buffer("{\"test\": 2432232315}"), THEN));
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier.verify(signed("msg_other", TIMESTAMP, SIGNATURE), BODY, THEN));
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier.verify(signed(ID, "1614265331", SIGNATURE), BODY, THEN));
  }

  @Test
  void rejectsTheWrongSecret() {
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(STANDARD_WEBHOOKS, "whsec_dGhlIG5ldyBvbmU=")
      .verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, THEN));
  }

  @Test
  void rejectsAStaleOrFutureTimestamp() {
    SignatureVerifier verifier = verifier(STANDARD_WEBHOOKS, SECRET);
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE,
      verifier.verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, Instant.ofEpochSecond(1614265330 + 301)));
    assertEquals(Verdict.TIMESTAMP_OUTSIDE_TOLERANCE,
      verifier.verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, Instant.ofEpochSecond(1614265330 - 301)));
    assertEquals(Verdict.ACCEPTED, verifier(STANDARD_WEBHOOKS, 600, SECRET)
      .verify(signed(ID, TIMESTAMP, SIGNATURE), BODY, Instant.ofEpochSecond(1614265330 + 301)));
  }

  @Test
  void namesAMissingOrMalformedHeader() {
    SignatureVerifier verifier = verifier(STANDARD_WEBHOOKS, SECRET);
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER,
      verifier.verify(headers("webhook-timestamp", TIMESTAMP, "webhook-signature", SIGNATURE), BODY, THEN));
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers("webhook-id", ID, "webhook-signature", SIGNATURE), BODY, THEN));
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers("webhook-id", ID, "webhook-timestamp", TIMESTAMP), BODY, THEN));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(signed(ID, "1614265330.5", SIGNATURE), BODY, THEN));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(signed(ID, TIMESTAMP, "invalid_signature"), BODY, THEN));
  }

  private static MultiMap signed(String id, String timestamp, String signature) {
    return headers("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", signature);
  }
}
