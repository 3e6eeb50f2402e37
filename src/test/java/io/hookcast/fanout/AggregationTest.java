package io.hookcast.fanout;

import io.hookcast.NodeParts;
import io.hookcast.ingress.IngressVerticle;
import io.hookcast.config.HookcastConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class AggregationTest {

  @Test
  void answers200WhenEveryBackendAnswered2xx(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 200, "a"), RecordingBackend.answering(vertx, 204, ""))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
        Configs.named(all.list(), "a", "b"))))
      .compose(hookcast -> hookcast.post("/", "{}"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        JsonObject answer = response.bodyAsJsonObject();
        assertEquals(200, answer.getJsonObject("a").getInteger("status"));
        assertEquals("a", answer.getJsonObject("a").getString("body"));
        assertEquals(204, answer.getJsonObject("b").getInteger("status"));
        assertNotNull(answer.getJsonObject("b").getLong("durationMs"));
        assertNull(answer.getJsonObject("a").getString("error"));
        assertNotNull(response.getHeader("X-Request-Id"));
        context.completeNow();
      })));
  }

  /**
   * Hookcast follows no redirect, as GitHub and Stripe do not: a backend answering 3xx (an http:// URL behind a
   * load balancer that moves it to https://, a missing trailing slash) did not take the webhook, so the sender is
   * told to send it again (as an async route counts only 2xx delivered), and not pointed at the backend's Location.
   */
  @Test
  void aBackendThatRedirectsDidNotTakeTheWebhookSoTheSenderGets502(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 200, "a"), RecordingBackend.answering(vertx, 301, "moved"),
        RecordingBackend.answering(vertx, 404, "nope"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.named(all.list(), "a", "moved", "missing"))))
      .compose(hookcast -> hookcast.post("/", "{}"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(502, response.statusCode());
        assertNull(response.getHeader("Location"));
        JsonObject answer = response.bodyAsJsonObject();
        assertEquals(301, answer.getJsonObject("moved").getInteger("status"));
        assertEquals(404, answer.getJsonObject("missing").getInteger("status"));
        assertEquals(200, answer.getJsonObject("a").getInteger("status"));
        context.completeNow();
      })));
  }

  @Test
  void highestFailingStatusWinsSoA5xxBeatsA4xx(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 503, "down"), RecordingBackend.answering(vertx, 404, "nope"),
        RecordingBackend.answering(vertx, 200, "fine"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
        Configs.backend("unavailable", all.<RecordingBackend>resultAt(0).url()),
        Configs.backend("missing", all.<RecordingBackend>resultAt(1).url()),
        Configs.backend("fine", all.<RecordingBackend>resultAt(2).url()))))
      .compose(hookcast -> hookcast.post("/", "{}"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(503, response.statusCode());
        JsonObject answer = response.bodyAsJsonObject();
        assertEquals(404, answer.getJsonObject("missing").getInteger("status"));
        assertEquals(200, answer.getJsonObject("fine").getInteger("status"));
        context.completeNow();
      })));
  }

  /**
   * A sender that honours Retry-After waits as long as the slowest backend whose status it was given asked; a wait
   * asked for with another status (a 429 under a 503) is not what the answer says.
   */
  @Test
  void a503TakenFromBackendsCarriesTheLongestRetryAfterOfThoseThatAnswered503(Vertx vertx, VertxTestContext context) {
    Future.all(answeringWithRetryAfter(vertx, 503, "60"), answeringWithRetryAfter(vertx, 503, "120"),
        answeringWithRetryAfter(vertx, 429, "600"), RecordingBackend.answering(vertx, 200, "fine"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.named(all.list(), "a", "b", "c", "d"))))
      .compose(hookcast -> hookcast.post("/", "{}"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(503, response.statusCode());
        assertEquals("120", response.getHeader("Retry-After"));
        context.completeNow();
      })));
  }

  @Test
  void a429TakenFromABackendCarriesItsRetryAfter(Vertx vertx, VertxTestContext context) {
    Future.all(answeringWithRetryAfter(vertx, 429, "90"), answeringWithRetryAfter(vertx, 404, "30"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.named(all.list(), "limited", "missing"))))
      .compose(hookcast -> hookcast.post("/", "{}"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(429, response.statusCode());
        assertEquals("90", response.getHeader("Retry-After"));
        context.completeNow();
      })));
  }

  /** Retry-After means "not now" on a 429 or 503 only; a 500's would tell the sender its webhook may work later. */
  @Test
  void anAggregateOfAnotherStatusCarriesNoRetryAfter(Vertx vertx, VertxTestContext context) {
    Future.all(answeringWithRetryAfter(vertx, 500, "30"), answeringWithRetryAfter(vertx, 429, "90"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.named(all.list(), "broken", "limited"))))
      .compose(hookcast -> hookcast.post("/", "{}"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(500, response.statusCode());
        assertNull(response.getHeader("Retry-After"));
        context.completeNow();
      })));
  }

  private static Future<RecordingBackend> answeringWithRetryAfter(Vertx vertx, int status, String retryAfter) {
    return RecordingBackend.start(vertx, (request, body) -> request.response().setStatusCode(status)
      .putHeader("Retry-After", retryAfter).end("later"));
  }

  @Test
  void unreachableBackendIs502AndTheOthersAreStillDelivered(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(reachable -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.backend("gone", Configs.unreachableUrl()),
          Configs.backend("here", reachable.url())))
        .compose(hookcast -> hookcast.post("/", "payload"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals(502, response.statusCode());
          JsonObject answer = response.bodyAsJsonObject();
          assertEquals(502, answer.getJsonObject("gone").getInteger("status"));
          assertEquals("connection refused", answer.getJsonObject("gone").getString("error"), answer.encode());
          assertFalse(answer.encode().contains("127.0.0.1"), "the answer names an address: " + answer.encode());
          assertEquals(200, answer.getJsonObject("here").getInteger("status"));
          assertEquals(1, reachable.received().size());
          assertEquals("payload", reachable.received().get(0).body().toString());
          context.completeNow();
        }))));
  }

  @Test
  void backendSlowerThanItsTimeoutIs504AndTheOthersAreStillDelivered(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answeringAfter(vertx, 3_000, 200, "late"), RecordingBackend.answering(vertx, 200, "ok"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.backend("slow", all.<RecordingBackend>resultAt(0).url(), 300),
          Configs.backend("fast", all.<RecordingBackend>resultAt(1).url())))
        .compose(hookcast -> hookcast.post("/", "payload"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals(504, response.statusCode());
          JsonObject answer = response.bodyAsJsonObject();
          assertEquals(504, answer.getJsonObject("slow").getInteger("status"));
          assertEquals("no complete answer within 300 ms", answer.getJsonObject("slow").getString("error"), answer.encode());
          assertEquals(200, answer.getJsonObject("fast").getInteger("status"));
          assertEquals(1, all.<RecordingBackend>resultAt(1).received().size());
          context.completeNow();
        }))));
  }

  @Test
  void timeoutIsATotalDeadlineNotAnIdleTimeout(Vertx vertx, VertxTestContext context) {
    // Sends a byte every 100 ms for 3 s: never idle, never done.
    RecordingBackend.start(vertx, (request, body) -> {
        request.response().setChunked(true).write("x");
        long timer = vertx.setPeriodic(100, id -> request.response().write("x"));
        vertx.setTimer(3_000, id -> {
          vertx.cancelTimer(timer);
          request.response().end();
        });
      })
      .compose(trickling -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("trickle", trickling.url(), 500))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(504, response.statusCode());
        long durationMs = response.bodyAsJsonObject().getJsonObject("trickle").getLong("durationMs");
        assertTrue(durationMs >= 450 && durationMs < 2_500, "answered after " + durationMs + " ms");
        context.completeNow();
      })));
  }

  @Test
  void longBackendBodiesAreCutAndMarkedTruncated(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "y".repeat(200_000))
      .compose(verbose -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("verbose", verbose.url()))
        .put("delivery", new JsonObject().put("maxResponseBodyBytes", 1000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        JsonObject verbose = response.bodyAsJsonObject().getJsonObject("verbose");
        assertEquals(1000, verbose.getString("body").length());
        assertTrue(verbose.getBoolean("truncated"));
        context.completeNow();
      })));
  }

  /** 1000 bytes hold 333 three-byte euro signs and the first byte of the next, which the cut split. */
  @Test
  void aCutBodyShowsNoHalfCharacterWhereItWasCut(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "\u20ac".repeat(1_000))
      .compose(euros -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("euros", euros.url()))
        .put("delivery", new JsonObject().put("maxResponseBodyBytes", 1000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        JsonObject euros = response.bodyAsJsonObject().getJsonObject("euros");
        assertEquals("\u20ac".repeat(333), euros.getString("body"));
        assertTrue(euros.getBoolean("truncated"));
        context.completeNow();
      })));
  }

  @Test
  void backendWithoutForwarderIs503AtOnce(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(backend -> {
        HookcastConfig config = HookcastConfig.fromJson(Configs.withBackends(Configs.backend("orphan", backend.url())));
        NodeParts parts = NodeParts.of(vertx, config);
        IngressVerticle ingressOnly = new IngressVerticle(config, null, parts.metrics(), parts.recent(), parts.ingressLimits(),
          parts.ingresses(), parts.tracing());
        return vertx.deployVerticle(ingressOnly).map(id -> ingressOnly.actualPort());
      })
      .compose(port -> WebClient.create(vertx).post(port, "127.0.0.1", "/").sendBuffer(Buffer.buffer("x")))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(503, response.statusCode());
        JsonObject orphan = response.bodyAsJsonObject().getJsonObject("orphan");
        assertEquals("no forwarder", orphan.getString("error"));
        assertTrue(orphan.getLong("durationMs") < TimeUnit.SECONDS.toMillis(5), orphan.encode());
        assertFalse(orphan.containsKey("truncated"));
        context.completeNow();
      })));
  }

  @Test
  void answerDetailStatusTellsTheSenderOnlyEachBackendsStatusAndTheAggregate(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 404, "secret detail"), RecordingBackend.answering(vertx, 200, "ok"))
      .compose(all -> {
        JsonObject config = Configs.withBackends(
          Configs.backend("missing", all.<RecordingBackend>resultAt(0).url()),
          Configs.backend("gone", Configs.unreachableUrl()),
          Configs.backend("fine", all.<RecordingBackend>resultAt(1).url()));
        config.getJsonObject("http").put("answerDetail", "status");
        return RunningHookcast.deploy(vertx, config);
      })
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(502, response.statusCode());
        assertEquals(new JsonObject()
          .put("missing", new JsonObject().put("status", 404))
          .put("gone", new JsonObject().put("status", 502))
          .put("fine", new JsonObject().put("status", 200)), response.bodyAsJsonObject());
        context.completeNow();
      })));
  }
}
