package io.hookcast.admin.api;

import io.hookcast.config.HookcastConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RedactionTest {

  private static HookcastConfig config(String admin) {
    return HookcastConfig.fromJson(new JsonObject("""
      {"backends": [{"name": "ci", "url": "http://127.0.0.1:5001/"}],
       "routes": [{"path": "/github", "backends": ["ci"], "verify": {"scheme": "github", "secretEnv": "S"}},
                  {"path": "/clerk", "backends": ["ci"], "verify": {"scheme": "standard-webhooks", "secretEnv": "W"}},
                  {"path": "/", "backends": ["ci"]}]""" + admin + "}"), Map.of("S", "s3cret", "W", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  }

  @Test
  void credentialsAndTheHeadersAVerifySchemeReadsAreRedactedWhateverTheirCase() {
    Redaction redaction = Redaction.of(config(""));
    assertEquals("<redacted>", redaction.shown("authorization", "Bearer x"));
    assertEquals("<redacted>", redaction.shown("Proxy-Authorization", "Basic x"));
    assertEquals("<redacted>", redaction.shown("COOKIE", "a=b"));
    assertEquals("<redacted>", redaction.shown("Set-Cookie", "a=b"));
    assertEquals("<redacted>", redaction.shown("X-Hub-Signature-256", "sha256=abc"));
    assertEquals("<redacted>", redaction.shown("webhook-signature", "v1,abc"));
    assertEquals("<redacted>", redaction.shown("Svix-Signature", "v1,abc"));
    assertEquals("push", redaction.shown("X-GitHub-Event", "push"));
  }

  /** Senders that authenticate with a shared token in a header of their own: the header is the secret. */
  @Test
  void theTokenHeadersOfSendersThatSignNothingAreRedactedByDefault() {
    Redaction redaction = Redaction.of(config(""));
    assertEquals("<redacted>", redaction.shown("X-Gitlab-Token", "glpat-secret"));
    assertEquals("<redacted>", redaction.shown("x-api-key", "k"));
    assertEquals("<redacted>", redaction.shown("X-Auth-Token", "t"));
  }

  /** An operator hiding one more credential must not bring the others into view. */
  @Test
  void adminRedactHeadersAddsToTheCredentialAndSignatureHeaders() {
    Redaction redaction = Redaction.of(config(", \"admin\": {\"redactHeaders\": [\"X-Shopify-Access-Token\"]}"));
    assertEquals("<redacted>", redaction.shown("x-shopify-access-token", "shpat"));
    assertEquals("<redacted>", redaction.shown("Authorization", "Bearer x"));
    assertEquals("<redacted>", redaction.shown("Cookie", "a=b"));
    assertEquals("<redacted>", redaction.shown("X-Hub-Signature-256", "sha256=abc"));
    assertEquals("push", redaction.shown("X-GitHub-Event", "push"));
  }
}
