package io.hookcast.forward;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class RetryTest {

  private static JsonObject retrying(String url, int maxAttempts, long timeoutMs) {
    return Configs.backend("flaky", url, timeoutMs)
      .put("retry", new JsonObject().put("maxAttempts", maxAttempts).put("initialBackoffMs", 20).put("maxBackoffMs", 100));
  }

  @Test
  void retriesTwo503sAndReportsTheThirdAttemptsAnswer(Vertx vertx, VertxTestContext context) {
    AtomicInteger calls = new AtomicInteger();
    RecordingBackend.start(vertx, (request, body) -> request.response()
        .setStatusCode(calls.incrementAndGet() <= 2 ? 503 : 200).end("call " + calls.get()))
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 3, 5_000)))
        .compose(hookcast -> hookcast.post("/", "payload"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals(200, response.statusCode());
          JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
          assertEquals(3, flaky.getInteger("attempts"));
          assertEquals("call 3", flaky.getString("body"));
          assertEquals(3, backend.received().size());
          backend.received().forEach(received -> assertEquals("payload", received.body().toString()));
          context.completeNow();
        }))));
  }

  @Test
  void neverRetriesA404(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 404, "no such hook")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 5, 5_000)))
        .compose(hookcast -> hookcast.post("/", "payload"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals(404, response.statusCode());
          assertEquals(1, response.bodyAsJsonObject().getJsonObject("flaky").getInteger("attempts"));
          assertEquals(1, backend.received().size());
          context.completeNow();
        }))));
  }

  @Test
  void honoursRetryAfterOn429(Vertx vertx, VertxTestContext context) {
    AtomicInteger calls = new AtomicInteger();
    RecordingBackend.start(vertx, (request, body) -> {
        if (calls.incrementAndGet() == 1) {
          request.response().setStatusCode(429).putHeader("Retry-After", "1").end("slow down");
        } else {
          request.response().end("thanks");
        }
      })
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 3, 5_000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
        assertEquals(2, flaky.getInteger("attempts"));
        assertTrue(flaky.getLong("durationMs") >= 950, "retried before Retry-After: " + flaky);
        context.completeNow();
      })));
  }

  @Test
  void retriesAConnectionRefusedUntilTheAttemptsRunOut(Vertx vertx, VertxTestContext context) {
    RunningHookcast.deploy(vertx, Configs.withBackends(retrying(Configs.unreachableUrl(), 3, 5_000)))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(502, response.statusCode());
        assertEquals(3, response.bodyAsJsonObject().getJsonObject("flaky").getInteger("attempts"));
        context.completeNow();
      })));
  }

  /** A backend that always answers 503 with a generous retry budget: the deadline, not the budget, ends it. */
  @Test
  void retriesNeverPushTheAnswerPastTheTimeout(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answeringAfter(vertx, 50, 503, "busy")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 50, 600))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
        assertEquals(503, response.statusCode(), flaky.encode());
        assertTrue(flaky.getInteger("attempts") > 1 && flaky.getInteger("attempts") < 50, flaky.encode());
        assertTrue(flaky.getLong("durationMs") <= 850, "answered after " + flaky.getLong("durationMs") + " ms");
        context.completeNow();
      })));
  }
}
