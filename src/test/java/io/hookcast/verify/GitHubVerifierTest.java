package io.hookcast.verify;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.hookcast.config.VerifyConfig.Scheme.GITHUB;
import static io.hookcast.verify.Vectors.headers;
import static io.hookcast.verify.Vectors.verifier;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GitHub's published test values, from "Validating webhook deliveries" (docs.github.com, section "Testing the
 * webhook payload validation"; source github/docs content/webhooks/using-webhooks/validating-webhook-deliveries.md).
 */
class GitHubVerifierTest {

  private static final String SECRET = "It's a Secret to Everybody";
  private static final Buffer PAYLOAD = Buffer.buffer("Hello, World!");
  private static final String SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  private static final Instant NOW = Instant.now();

  @Test
  void acceptsGitHubsDocumentedExample() {
    assertEquals(Verdict.ACCEPTED, verifier(GITHUB, SECRET).verify(headers("X-Hub-Signature-256", SIGNATURE), PAYLOAD, NOW));
  }

  @Test
  void headerNameIsCaseInsensitiveAndHexMayBeUpperCase() {
    String upper = "sha256=" + SIGNATURE.substring("sha256=".length()).toUpperCase();
    assertEquals(Verdict.ACCEPTED, verifier(GITHUB, SECRET).verify(headers("x-hub-signature-256", upper), PAYLOAD, NOW));
  }

  @Test
  void rejectsATamperedBody() {
    assertEquals(Verdict.SIGNATURE_MISMATCH,
      verifier(GITHUB, SECRET).verify(headers("X-Hub-Signature-256", SIGNATURE), Buffer.buffer("Hello, World?"), NOW));
  }

  @Test
  void rejectsTheWrongSecret() {
    assertEquals(Verdict.SIGNATURE_MISMATCH,
      verifier(GITHUB, "It's a Secret to Nobody").verify(headers("X-Hub-Signature-256", SIGNATURE), PAYLOAD, NOW));
  }

  @Test
  void acceptsAnyOfSeveralSecretsSoThatOneCanBeRotated() {
    assertEquals(Verdict.ACCEPTED, verifier(GITHUB, "the new one", SECRET).verify(headers("X-Hub-Signature-256", SIGNATURE), PAYLOAD, NOW));
  }

  @Test
  void namesAMissingOrMalformedHeader() {
    SignatureVerifier verifier = verifier(GITHUB, SECRET);
    assertEquals(Verdict.MISSING_SIGNATURE_HEADER, verifier.verify(headers("X-Hub-Signature", "sha1=abc"), PAYLOAD, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(headers("X-Hub-Signature-256", "sha1=abcd"), PAYLOAD, NOW));
    assertEquals(Verdict.MALFORMED_SIGNATURE_HEADER, verifier.verify(headers("X-Hub-Signature-256", "sha256=xyz"), PAYLOAD, NOW));
  }

  @Test
  void aTruncatedSignatureIsAMismatchNotAPrefixMatch() {
    String truncated = SIGNATURE.substring(0, SIGNATURE.length() - 2);
    assertEquals(Verdict.SIGNATURE_MISMATCH, verifier(GITHUB, SECRET).verify(headers("X-Hub-Signature-256", truncated), PAYLOAD, NOW));
  }
}
