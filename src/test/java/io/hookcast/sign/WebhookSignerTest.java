package io.hookcast.sign;

import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.SignConfig;
import io.hookcast.config.VerifyConfig;
import io.hookcast.verify.SignatureVerifier;
import io.hookcast.verify.Verdict;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WebhookSignerTest {

  /** The Standard Webhooks test vector (standard-webhooks/standard-webhooks, libraries/java WebhookTest.verifyWebhookSignWorks). */
  private static final String SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String NEW_SECRET = "whsec_dGhlIG5ldyBzZWNyZXQsIDMyIGJ5dGVzIGxvbmcu";

  @Test
  void reproducesTheStandardWebhooksTestVector() {
    SignatureHeaders headers = signer(SPEC_SECRET)
      .sign("msg_p5jXN8AQM9LWM0D4loKWxJek", Instant.ofEpochSecond(1614265330), Buffer.buffer("{\"test\": 2432232314}"));
    assertEquals(new SignatureHeaders("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
      headers);
  }

  @Test
  void whatItSignsTheStandardWebhooksVerifierAccepts() {
    Instant now = Instant.now();
    Buffer body = Buffer.buffer(new byte[] {0, (byte) 0xff, '{', '}', (byte) 0xc3});
    MultiMap received = MultiMap.caseInsensitiveMultiMap();
    signer(SPEC_SECRET).sign("3f1c2e4a-9d8b-4c7e-a1f0-123456789abc", now, body).applyTo(received);
    assertEquals(Verdict.ACCEPTED, verifier(SPEC_SECRET).verify(received, body, now.plusSeconds(2)));
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(SPEC_SECRET).verify(received, Buffer.buffer("{}"), now.plusSeconds(2)));
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(NEW_SECRET).verify(received, body, now.plusSeconds(2)));
  }

  @Test
  void signsWithEverySecretSoABackendCanMoveToTheNewOne() {
    Instant now = Instant.now();
    Buffer body = Buffer.buffer("{\"action\":\"opened\"}");
    MultiMap received = MultiMap.caseInsensitiveMultiMap();
    SignatureHeaders headers = signer(SPEC_SECRET, NEW_SECRET).sign("msg_1", now, body);
    headers.applyTo(received);
    assertEquals(2, headers.signature().split(" ").length);
    assertEquals(Verdict.ACCEPTED, verifier(SPEC_SECRET).verify(received, body, now));
    assertEquals(Verdict.ACCEPTED, verifier(NEW_SECRET).verify(received, body, now));
  }

  @Test
  void eachAttemptCarriesItsOwnTimestampSoALateRetryIsNotRefusedAsStale() {
    Buffer body = Buffer.buffer("{}");
    Instant first = Instant.ofEpochSecond(1_800_000_000L);
    Instant retry = first.plusSeconds(2 * 3600);
    SignatureHeaders firstHeaders = signer(SPEC_SECRET).sign("msg_1", first, body);
    SignatureHeaders retryHeaders = signer(SPEC_SECRET).sign("msg_1", retry, body);
    assertEquals(firstHeaders.id(), retryHeaders.id());
    assertNotEquals(firstHeaders.signature(), retryHeaders.signature());
    MultiMap received = MultiMap.caseInsensitiveMultiMap();
    retryHeaders.applyTo(received);
    assertEquals(Verdict.ACCEPTED, verifier(SPEC_SECRET).verify(received, body, retry));
  }

  @Test
  void replacesStandardWebhooksHeadersTheSenderSent() {
    MultiMap forwarded = MultiMap.caseInsensitiveMultiMap()
      .add("Webhook-Id", "sender-id").add("webhook-signature", "v1,c2VuZGVy").add("X-GitHub-Event", "push")
      // From a Svix sender: a backend's Svix library reads these before the webhook-* ones.
      .add("svix-id", "sender-id").add("Svix-Timestamp", "1700000000").add("svix-signature", "v1,c2VuZGVy");
    new SignatureHeaders("msg_1", "1800000000", "v1,aG9va2Nhc3Q=").applyTo(forwarded);
    assertEquals(List.of(), forwarded.getAll("svix-id"));
    assertEquals(List.of(), forwarded.getAll("svix-timestamp"));
    assertEquals(List.of(), forwarded.getAll("svix-signature"));
    assertEquals(List.of("msg_1"), forwarded.getAll("webhook-id"));
    assertEquals(List.of("v1,aG9va2Nhc3Q="), forwarded.getAll("webhook-signature"));
    assertEquals("1800000000", forwarded.get("webhook-timestamp"));
    assertEquals("push", forwarded.get("X-GitHub-Event"));
  }

  private static WebhookSigner signer(String... secrets) {
    return new WebhookSigner(new SignConfig(secrets(secrets)));
  }

  private static SignatureVerifier verifier(String secret) {
    return SignatureVerifier.forConfig(new VerifyConfig(VerifyConfig.Scheme.STANDARD_WEBHOOKS, secrets(secret),
      300));
  }

  private static List<Secret> secrets(String... secrets) {
    return Arrays.stream(secrets).map(s -> new Secret(new SecretSource(SecretSource.Kind.ENV, "SIGNING_SECRET"), s)).toList();
  }
}
