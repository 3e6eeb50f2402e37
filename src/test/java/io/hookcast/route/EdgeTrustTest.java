package io.hookcast.route;

import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.VerifyConfig;
import io.hookcast.crypto.Hmac;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.hookcast.verify.SignatureVerifier;
import io.hookcast.verify.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verified senders, signed deliveries and delivery conditions, through the running router on loopback. */
@ExtendWith(VertxExtension.class)
class EdgeTrustTest {

  private static final String GITHUB_SECRET = "It's a Secret to Everybody";
  private static final String SIGNING_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String PAYLOAD = "{\"action\":\"opened\"}";

  private RecordingBackend ci;
  private RecordingBackend audit;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir, VertxTestContext context) throws IOException {
    Path githubSecret = Files.writeString(dir.resolve("github-secret"), GITHUB_SECRET + "\n");
    Path signingSecret = Files.writeString(dir.resolve("signing-secret"), SIGNING_SECRET);
    Future.all(RecordingBackend.answering(vertx, 200, "ci ok"), RecordingBackend.answering(vertx, 200, "audit ok"))
      .compose(started -> {
        ci = started.resultAt(0);
        audit = started.resultAt(1);
        JsonObject config = Configs.withBackends(
          Configs.backend("ci", ci.url()).put("sign", new JsonObject().put("secretFile", signingSecret.toString())),
          Configs.backend("audit", audit.url()));
        config.put("routes", new JsonArray()
          .add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci").add("audit"))
            .put("verify", new JsonObject().put("scheme", "github").put("secretFile", githubSecret.toString()))
            .put("deliver", new JsonObject().put("audit", new JsonObject().put("header", "X-GitHub-Event").put("in",
              new JsonArray().add("pull_request")))))
          .add(new JsonObject().put("path", "/open").put("backends", new JsonArray().add("ci")))
          .add(new JsonObject().put("path", "/numbers").put("backends", new JsonArray().add("ci").add("audit"))
            .put("deliver", new JsonObject().put("audit", new JsonObject().put("json", "/n").put("in", new JsonArray().add(7))))));
        return RunningHookcast.deploy(vertx, config);
      })
      .onComplete(context.succeeding(running -> {
        hookcast = running;
        context.completeNow();
      }));
  }

  @Test
  void aWebhookSignedByItsSenderIsDeliveredAndOnlyToTheBackendsWhoseConditionItMeets(VertxTestContext context) {
    send("/github", "pull_request", githubSignature(PAYLOAD), PAYLOAD)
      .compose(pullRequest -> send("/github", "push", githubSignature(PAYLOAD), PAYLOAD).map(push -> List.of(pullRequest, push)))
      .onComplete(context.succeeding(answers -> context.verify(() -> {
        JsonObject pullRequest = answers.get(0).bodyAsJsonObject();
        assertEquals(200, answers.get(0).statusCode(), pullRequest.encode());
        assertEquals(200, pullRequest.getJsonObject("audit").getInteger("status"));
        JsonObject push = answers.get(1).bodyAsJsonObject();
        assertEquals(200, answers.get(1).statusCode(), push.encode());
        assertEquals(new JsonObject().putNull("status").put("skipped", true), push.getJsonObject("audit"));
        assertEquals(2, ci.received().size());
        assertEquals(1, audit.received().size());
        context.completeNow();
      })));
  }

  @Test
  void aNumberBeyondADoublesRangeMeetsNoNumberConditionAndTheWebhookIsAnsweredAsAnyOther(VertxTestContext context) {
    send("/numbers", null, null, "{\"n\":1e400}")
      .compose(huge -> send("/numbers", null, null, "{\"n\":7}").map(seven -> List.of(huge, seven)))
      .onComplete(context.succeeding(answers -> context.verify(() -> {
        assertEquals(200, answers.get(0).statusCode(), answers.get(0).bodyAsString());
        assertEquals(new JsonObject().putNull("status").put("skipped", true), answers.get(0).bodyAsJsonObject().getJsonObject("audit"));
        assertEquals(200, answers.get(1).statusCode(), answers.get(1).bodyAsString());
        assertEquals(200, answers.get(1).bodyAsJsonObject().getJsonObject("audit").getInteger("status"));
        assertEquals(1, audit.received().size());
        context.completeNow();
      })));
  }

  @Test
  void aWebhookWhoseSignatureFailsIsAnswered401AndReachesNoBackend(VertxTestContext context) {
    String otherSecretSignature = "sha256=" + HexFormat.of().formatHex(
      Hmac.sha256(Hmac.key("not the secret".getBytes(StandardCharsets.UTF_8)), new byte[0], Buffer.buffer(PAYLOAD)));
    Future.all(
        send("/github", "pull_request", githubSignature(PAYLOAD), PAYLOAD + " "),
        send("/github", "pull_request", otherSecretSignature, PAYLOAD),
        send("/github", "pull_request", null, PAYLOAD))
      .onComplete(context.succeeding(all -> context.verify(() -> {
        List<HttpResponse<Buffer>> answers = all.list();
        assertEquals(List.of(401, 401, 401), answers.stream().map(HttpResponse::statusCode).toList());
        assertEquals("signature mismatch", answers.get(0).bodyAsJsonObject().getString("error"));
        assertEquals("signature mismatch", answers.get(1).bodyAsJsonObject().getString("error"));
        assertEquals("missing signature header", answers.get(2).bodyAsJsonObject().getString("error"));
        assertTrue(ci.received().isEmpty());
        assertTrue(audit.received().isEmpty());
        context.completeNow();
      })));
  }

  @Test
  void deliveriesToASigningBackendCarryAStandardWebhooksSignatureOfTheBodyItReceived(VertxTestContext context) {
    send("/open", null, null, PAYLOAD)
      .onComplete(context.succeeding(answer -> context.verify(() -> {
        assertEquals(200, answer.statusCode());
        RecordingBackend.Received received = ci.received().get(0);
        assertEquals(answer.getHeader("X-Request-Id"), received.headers().get("webhook-id"));
        SignatureVerifier verifier = SignatureVerifier.forConfig(new VerifyConfig(VerifyConfig.Scheme.STANDARD_WEBHOOKS,
          List.of(new Secret(new SecretSource(SecretSource.Kind.FILE, "signing-secret"), SIGNING_SECRET)),
          300));
        assertEquals(Verdict.ACCEPTED, verifier.verify(received.headers(), received.body(), Instant.now()));
        assertEquals(Verdict.SIGNATURE_MISMATCH,
          verifier.verify(received.headers(), received.body().copy().appendString(" "), Instant.now()));
        context.completeNow();
      })));
  }

  private Future<HttpResponse<Buffer>> send(String path, String event, String signature, String body) {
    var request = hookcast.client().post(path).timeout(TimeUnit.SECONDS.toMillis(10));
    if (event != null) {
      request.putHeader("X-GitHub-Event", event);
    }
    if (signature != null) {
      request.putHeader("X-Hub-Signature-256", signature);
    }
    return request.sendBuffer(Buffer.buffer(body));
  }

  private static String githubSignature(String body) {
    return "sha256=" + HexFormat.of().formatHex(
      Hmac.sha256(Hmac.key(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8)), new byte[0], Buffer.buffer(body)));
  }
}
