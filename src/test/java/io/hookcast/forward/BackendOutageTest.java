package io.hookcast.forward;

import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault test: a backend stops in the middle of a stream of webhooks and comes back. */
@ExtendWith(VertxExtension.class)
class BackendOutageTest {

  private static final int BEFORE = 10;
  private static final int DURING = 15;
  private static final long RESET_TIMEOUT_MS = 300;

  @Test
  void aStoppedBackendIsReported502ThenCircuitOpenWhileTheOthersGetEveryWebhookAndItIsServedAgainWhenBack(
    Vertx vertx, VertxTestContext context) throws Exception {
    RecordingBackend steady = RecordingBackend.answering(vertx, 200, "steady").await(5, TimeUnit.SECONDS);
    RecordingBackend fragile = RecordingBackend.answering(vertx, 200, "fragile").await(5, TimeUnit.SECONDS);
    int fragilePort = fragile.port();
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(
      Configs.backend("steady", steady.url()),
      Configs.backend("fragile", fragile.url(), 2_000)
        .put("retry", new JsonObject().put("maxAttempts", 2).put("initialBackoffMs", 10).put("maxBackoffMs", 20))
        .put("circuitBreaker", new JsonObject().put("failureThreshold", 3).put("resetTimeoutMs", RESET_TIMEOUT_MS))))
      .await(10, TimeUnit.SECONDS);

    List<JsonObject> before = inTurn(hookcast, "before", BEFORE).await(30, TimeUnit.SECONDS);
    fragile.stop().await(5, TimeUnit.SECONDS);
    List<JsonObject> during = inTurn(hookcast, "during", DURING).await(30, TimeUnit.SECONDS);
    RecordingBackend back = RecordingBackend.start(vertx, fragilePort,
      (request, body) -> request.response().end("back")).await(5, TimeUnit.SECONDS);
    List<JsonObject> after = untilFragileAnswers(hookcast, vertx).await(30, TimeUnit.SECONDS);

    context.verify(() -> {
      before.forEach(answer -> assertEquals(200, answer.getJsonObject("fragile").getInteger("status"), answer.encode()));
      List<Integer> outage = during.stream().map(answer -> answer.getJsonObject("fragile").getInteger("status")).toList();
      // The breaker counts failed requests: with two attempts each, the first two webhooks make the three that open it.
      assertEquals(List.of(502, 502), outage.subList(0, 2), "first failures are reported as unreachable: " + during);
      for (JsonObject answer : during.subList(2, DURING)) {
        JsonObject fragileResult = answer.getJsonObject("fragile");
        assertEquals(503, fragileResult.getInteger("status"), answer.encode());
        assertEquals("circuit open", fragileResult.getString("error"));
        assertEquals(0, fragileResult.getInteger("attempts"), "an open circuit contacts nobody");
      }
      assertEquals("back", after.get(after.size() - 1).getJsonObject("fragile").getString("body"));
      assertEquals(BEFORE + DURING + after.size(), steady.received().size(), "the steady backend missed webhooks");
      List<JsonObject> all = new ArrayList<>(before);
      all.addAll(during);
      all.addAll(after);
      all.forEach(answer -> assertEquals(200, answer.getJsonObject("steady").getInteger("status"), answer.encode()));
      assertTrue(back.received().size() >= 1);
      context.completeNow();
    });
  }

  @Test
  void aCircuitThatOpensAgainAfterAFailedProbeSaysSoNotThatTheThresholdWasReachedAgain(Vertx vertx) throws Exception {
    try (LogCapture log = LogCapture.of(ForwarderVerticle.class)) {
      RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("gone", Configs.unreachableUrl())
          .put("retry", new JsonObject().put("maxAttempts", 1))
          .put("circuitBreaker", new JsonObject().put("failureThreshold", 3).put("resetTimeoutMs", RESET_TIMEOUT_MS))))
        .await(10, TimeUnit.SECONDS);
      inTurn(hookcast, "opening", 3).await(10, TimeUnit.SECONDS);
      Eventually.until(Duration.ofSeconds(10), () -> log.lines().stream().anyMatch(line -> line.contains(": circuit half-open")),
        () -> "never half-open: " + log.lines());
      inTurn(hookcast, "probe", 1).await(10, TimeUnit.SECONDS);

      Eventually.until(Duration.ofSeconds(10), () -> opened(log).size() == 2, () -> "logged: " + log.lines());
      assertTrue(opened(log).get(0).contains("circuit opened after 3 consecutive failed attempts; answering 503"), log.lines().toString());
      assertTrue(opened(log).get(1).contains("circuit opened again: the probe failed; answering 503 without contacting it for "
        + RESET_TIMEOUT_MS + " ms"), log.lines().toString());
    }
  }

  private static List<String> opened(LogCapture log) {
    return log.lines().stream().filter(line -> line.contains(": circuit opened")).toList();
  }

  /** Sends webhooks one after the other; the per-backend results of each. */
  private static Future<List<JsonObject>> inTurn(RunningHookcast hookcast, String prefix, int count) {
    List<JsonObject> answers = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      String body = prefix + "-" + i;
      chain = chain.compose(v -> hookcast.post("/", body).map(response -> {
        answers.add(response.bodyAsJsonObject());
        return null;
      }));
    }
    return chain.map(v -> answers);
  }

  /** Keeps sending, a little slower than the circuit's reset timeout, until the fragile backend answers 200. */
  private static Future<List<JsonObject>> untilFragileAnswers(RunningHookcast hookcast, Vertx vertx) {
    List<JsonObject> answers = new ArrayList<>();
    return sendUntil(hookcast, vertx, answers, 0).map(v -> answers);
  }

  private static Future<Void> sendUntil(RunningHookcast hookcast, Vertx vertx, List<JsonObject> answers, int sent) {
    if (sent >= 40) {
      return Future.failedFuture("the fragile backend was never delivered to again: " + answers);
    }
    return hookcast.post("/", "after-" + sent).compose(response -> {
      answers.add(response.bodyAsJsonObject());
      if (response.bodyAsJsonObject().getJsonObject("fragile").getInteger("status") == 200) {
        return Future.succeededFuture();
      }
      return vertx.timer(RESET_TIMEOUT_MS / 3).compose(t -> sendUntil(hookcast, vertx, answers, sent + 1));
    });
  }
}
