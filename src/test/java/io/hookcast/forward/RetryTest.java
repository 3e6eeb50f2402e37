package io.hookcast.forward;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.TimeUnit;
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

  /**
   * A gateway in front of the backend answers 502 or 504 after passing the request on (an upstream that reset
   * mid-answer, a gateway timeout shorter than the backend's): sent again at once, it would be acted on twice.
   */
  @ParameterizedTest
  @ValueSource(ints = {502, 504})
  void neverRetriesAGatewaysAnswerThatTheBackendMayHaveActedOn(int status, Vertx vertx) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, status, "upstream gone").await(10, TimeUnit.SECONDS);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 5, 5_000)))
      .await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> response = hookcast.post("/", "payload").await(10, TimeUnit.SECONDS);
    assertEquals(status, response.statusCode());
    assertEquals(1, response.bodyAsJsonObject().getJsonObject("flaky").getInteger("attempts"));
    assertEquals(1, backend.received().size());
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
        assertEquals("connection refused", response.bodyAsJsonObject().getJsonObject("flaky").getString("error"));
        context.completeNow();
      })));
  }

  /** A backend that always answers 503 with a generous retry budget: the deadline, not the budget, ends it. */
  @Test
  void retriesNeverPushTheAnswerPastTheTimeout(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answeringAfter(vertx, 50, 503, "busy")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 50, 2_000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
        assertEquals(503, response.statusCode(), flaky.encode());
        assertTrue(flaky.getInteger("attempts") > 1 && flaky.getInteger("attempts") < 50, flaky.encode());
        assertTrue(flaky.getLong("durationMs") <= 2_500, "answered after " + flaky.getLong("durationMs") + " ms");
        context.completeNow();
      })));
  }

  /** The backend may have acted on a webhook whose body it read: sending it again could deliver it twice. */
  @Test
  void neverRetriesAConnectionThatBreaksAfterTheRequestWasSent(Vertx vertx, VertxTestContext context) {
    AtomicInteger seen = new AtomicInteger();
    vertx.createHttpServer()
      .requestHandler(request -> request.body().onSuccess(body -> {
        seen.incrementAndGet();
        request.connection().close();
      }))
      .listen(0, "127.0.0.1")
      .compose(server -> RunningHookcast.deploy(vertx, Configs.withBackends(
        retrying("http://127.0.0.1:" + server.actualPort() + "/", 3, 5_000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
        assertEquals(502, response.statusCode(), flaky.encode());
        assertEquals(1, flaky.getInteger("attempts"), flaky.encode());
        assertEquals(1, seen.get(), "requests the backend received");
        assertEquals("connection closed before a complete answer", flaky.getString("error"));
        context.completeNow();
      })));
  }

  @Test
  void neverRetriesAnAnswerThatIsNotHttp(Vertx vertx, VertxTestContext context) {
    AtomicInteger connections = new AtomicInteger();
    vertx.createNetServer()
      .connectHandler(socket -> {
        connections.incrementAndGet();
        socket.handler(data -> socket.write("NOT HTTP AT ALL\r\n\r\n"));
      })
      .listen(0, "127.0.0.1")
      .compose(server -> RunningHookcast.deploy(vertx, Configs.withBackends(
        retrying("http://127.0.0.1:" + server.actualPort() + "/", 3, 2_000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
        assertEquals(1, flaky.getInteger("attempts"), flaky.encode());
        assertEquals(1, connections.get(), "connections the backend received");
        assertEquals("invalid response", flaky.getString("error"), flaky.encode());
        context.completeNow();
      })));
  }

  /** The last attempt's result is the one reported: a retry that runs into the deadline is a 504, not the 503 before it. */
  @Test
  void aTimedOutLastAttemptIsReported504(Vertx vertx, VertxTestContext context) {
    AtomicInteger calls = new AtomicInteger();
    RecordingBackend.start(vertx, (request, body) -> {
        if (calls.incrementAndGet() == 1) {
          request.response().setStatusCode(503).end("busy");
        }
      })
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(retrying(backend.url(), 2, 1_000))))
      .compose(hookcast -> hookcast.post("/", "payload"))
      .onComplete(context.succeeding(response -> context.verify(() -> {
        JsonObject flaky = response.bodyAsJsonObject().getJsonObject("flaky");
        assertEquals(504, response.statusCode(), flaky.encode());
        assertEquals(2, flaky.getInteger("attempts"), flaky.encode());
        assertEquals("no complete answer within 1000 ms", flaky.getString("error"));
        context.completeNow();
      })));
  }
}
