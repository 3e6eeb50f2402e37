package io.hookcast.alert;

import io.hookcast.config.AlertConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A started node raising its alerts to a real receiver: circuit open and recovered, a dead delivery, an old backlog. */
@ExtendWith(VertxExtension.class)
class AlertsFromANodeTest {

  @TempDir
  Path dir;

  private static List<String> types(RecordingBackend receiver) {
    return receiver.received().stream().map(r -> r.body().toJsonObject().getString("type")).toList();
  }

  private JsonObject node(JsonArray backends, JsonArray routes, JsonObject alert) {
    return new JsonObject().put("backends", backends).put("routes", routes)
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("reload", new JsonObject().put("scanPeriodMs", 0))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      .put("alerts", new JsonArray().add(alert));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aBackendThatGoesDownGivesOneCircuitOpenAlertThenOneRecovered(Vertx vertx, VertxTestContext context) {
    String url = Configs.unreachableUrl();
    JsonObject ci = Configs.backend("ci", url, 2_000).put("retry", new JsonObject().put("maxAttempts", 1))
      .put("circuitBreaker", new JsonObject().put("failureThreshold", 2).put("resetTimeoutMs", 500));
    RecordingBackend.answering(vertx, 204, "").compose(receiver -> RunningHookcast.deploy(vertx, node(new JsonArray().add(ci),
        new JsonArray().add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("ci"))),
        new JsonObject().put("url", receiver.url()).put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN).add(AlertConfig.RECOVERED))))
      .compose(node -> repeat(node, 6)
        .compose(v -> until(vertx, () -> types(receiver).contains(AlertConfig.CIRCUIT_OPEN)))
        .compose(v -> repeat(node, 4))
        .compose(v -> RecordingBackend.start(vertx, URI.create(url).getPort(), (request, body) -> request.response().end("ok")))
        .compose(up -> vertx.timer(700))
        .compose(v -> untilAnswered(vertx, node, 200))
        .compose(v -> until(vertx, () -> types(receiver).contains(AlertConfig.RECOVERED)))
        .compose(v -> vertx.timer(500)))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        assertEquals(List.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED), types(receiver));
        assertEquals("ci", receiver.received().get(0).body().toJsonObject().getString("backend"));
        context.completeNow();
      }))))
      .onFailure(context::failNow);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aDeadDeliveryGivesDeliveryDeadWithItsMessageId(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 204, ""), RecordingBackend.answering(vertx, 500, "no"))
      .compose(both -> {
        RecordingBackend receiver = both.resultAt(0);
        RecordingBackend failing = both.resultAt(1);
        JsonObject bad = Configs.backend("bad", failing.url(), 2_000).put("async", new JsonObject().put("schedule", new JsonArray().add("1s")));
        return RunningHookcast.deploy(vertx, node(new JsonArray().add(bad),
            new JsonArray().add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("bad")).put("mode", "async")),
            new JsonObject().put("url", receiver.url()).put("events", AlertConfig.DEAD)))
          .compose(node -> node.post("/orders", "{}"))
          .compose(accepted -> until(vertx, () -> !receiver.received().isEmpty()).map(accepted.getHeader("X-Hookcast-Message-Id")))
          .onComplete(context.succeeding(id -> context.verify(() -> {
            JsonObject alert = receiver.received().get(0).body().toJsonObject();
            assertEquals(AlertConfig.DEAD, alert.getString("type"));
            assertEquals(id, alert.getString("messageId"));
            assertEquals("/api/messages/" + id, alert.getString("link"));
            assertEquals(500, alert.getInteger("lastStatus"));
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void aBacklogOlderThanTheThresholdGivesBacklogAge(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 204, "").compose(receiver -> RunningHookcast.deploy(vertx, node(
          new JsonArray().add(Configs.backend("down", Configs.unreachableUrl(), 2_000)),
          new JsonArray().add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("down")).put("mode", "async")),
          new JsonObject().put("url", receiver.url()).put("events", AlertConfig.BACKLOG_AGE).put("backlogAgeSeconds", 1)))
        .compose(node -> node.post("/orders", "{}"))
        .compose(accepted -> until(vertx, () -> !receiver.received().isEmpty()))
        .onComplete(context.succeeding(v -> context.verify(() -> {
          JsonObject alert = receiver.received().get(0).body().toJsonObject();
          assertEquals(AlertConfig.BACKLOG_AGE, alert.getString("type"));
          assertEquals("down", alert.getString("backend"));
          assertEquals(1, alert.getLong("pending"));
          context.completeNow();
        }))))
      .onFailure(context::failNow);
  }

  private static Future<Void> repeat(RunningHookcast node, int times) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      chain = chain.compose(v -> node.post("/hook", "{}").mapEmpty());
    }
    return chain;
  }

  private static Future<Void> untilAnswered(Vertx vertx, RunningHookcast node, int status) {
    return node.post("/hook", "{}").compose(response -> response.statusCode() == status ? Future.<Void>succeededFuture()
      : vertx.timer(100).compose(v -> untilAnswered(vertx, node, status)));
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture() : vertx.timer(50).compose(v -> until(vertx, done));
  }
}
