package io.hookcast.alert;

import io.hookcast.NodeParts;
import io.hookcast.config.AlertConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.StoreConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.forward.ForwarderVerticle;
import io.hookcast.reload.ConfigWatcherVerticle;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.circuitbreaker.CircuitBreakerState;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A started node raising its alerts to a real receiver: circuit open and recovered (also when a reload retires an
 * open circuit), a dead delivery, an old backlog, a store that stops accepting and accepts again.
 */
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

  /**
   * An incoming webhook's path (Slack's, Discord's, Zapier's) is its credential: the alert and the forwarder's log
   * lines show the backend by its name and scheme://host:port.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aCircuitAlertAndTheForwardersLogLinesShowTheBackendWithoutItsPath(Vertx vertx) throws Exception {
    RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(5, TimeUnit.SECONDS);
    String origin = Configs.unreachableUrl().replaceAll("/$", "");
    JsonObject config = node(new JsonArray().add(failingFast("ci", origin + "/services/T0/B0/secret-path")), routeTo("ci"),
      circuitEvents(receiver));
    try (LogCapture log = LogCapture.of(ForwarderVerticle.class)) {
      RunningHookcast node = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
      postUntil(vertx, node, () -> types(receiver).contains(AlertConfig.CIRCUIT_OPEN));

      String text = receiver.received().get(0).body().toJsonObject().getString("text");
      assertTrue(text.startsWith("backend 'ci' (" + origin + ") on node "), text);
      assertFalse(text.contains("secret-path"), text);
      List<String> lines = log.lines();
      assertTrue(lines.stream().anyMatch(line -> line.contains("circuit opened")), lines.toString());
      assertTrue(lines.stream().anyMatch(line -> line.contains(", attempt 1: connection refused")), lines.toString());
      assertEquals(List.of(), lines.stream().filter(line -> line.contains("secret-path")).toList());
    }
  }

  /**
   * The operator's fix for a backend that is down, new settings in the config file, gives it a new forwarder whose
   * circuit starts closed and never closes again: the receiver is told it recovered when the old, open one goes.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aReloadThatChangesABackendWhoseCircuitIsOpenGivesRecoveredSayingSo(Vertx vertx) throws Exception {
    RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(5, TimeUnit.SECONDS);
    RecordingBackend fixed = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject recovered = recoveredAfterReload(vertx, receiver,
      watched(node(new JsonArray().add(failingFast("ci", Configs.unreachableUrl())), routeTo("ci"), circuitEvents(receiver))),
      watched(node(new JsonArray().add(failingFast("ci", fixed.url())), routeTo("ci"), circuitEvents(receiver))));

    assertEquals("closed", recovered.getString("circuit"));
    assertTrue(recovered.getString("text").contains("reload changed its settings"), recovered.getString("text"));
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aReloadThatRemovesABackendWhoseCircuitIsOpenGivesRecoveredSayingSo(Vertx vertx) throws Exception {
    RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(5, TimeUnit.SECONDS);
    RecordingBackend up = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject recovered = recoveredAfterReload(vertx, receiver,
      watched(node(new JsonArray().add(failingFast("ci", Configs.unreachableUrl())).add(Configs.backend("up", up.url())),
        routeTo("ci", "up"), circuitEvents(receiver))),
      watched(node(new JsonArray().add(Configs.backend("up", up.url())), routeTo("up"), circuitEvents(receiver))));

    assertTrue(recovered.getString("text").contains("reload removed the backend"), recovered.getString("text"));
  }

  /**
   * Two instances, as {@code -instances 2} runs them, each with its forwarder of the backend, both open; each
   * instance retires its own at the reload. The receiver (no quiet period, so that nothing is held back) is told the
   * backend recovered once, when the node has no open circuit of it left.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void withTwoInstancesAReloadGivesOneRecoveredOnceNoForwarderOfTheBackendIsOpen(Vertx vertx) throws Exception {
    RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(5, TimeUnit.SECONDS);
    RecordingBackend fixed = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject down = watched(node(new JsonArray().add(failingFast("ci", Configs.unreachableUrl())), routeTo("ci"),
      circuitEvents(receiver).put("quietSeconds", 0)));
    Path file = write(down);
    RunningHookcast first = RunningHookcast.deploy(vertx, down).await(10, TimeUnit.SECONDS);
    RunningHookcast.deploy(vertx, down).await(10, TimeUnit.SECONDS);
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(down)).await(5, TimeUnit.SECONDS);
    ForwarderRegistry forwarders = NodeParts.of(vertx, HookcastConfig.fromJson(down)).forwarders();
    postUntil(vertx, first, () -> forwarders.circuitsByBackend().get("ci").stream().allMatch(CircuitBreakerState.OPEN::equals));
    within(vertx, 10_000, () -> types(receiver).size() >= 2).await(15, TimeUnit.SECONDS);

    write(watched(node(new JsonArray().add(failingFast("ci", fixed.url())), routeTo("ci"), circuitEvents(receiver).put("quietSeconds", 0))));
    untilAnswered(vertx, first, 200).await(20, TimeUnit.SECONDS);
    within(vertx, 20_000, () -> types(receiver).contains(AlertConfig.RECOVERED)
      && forwarders.circuitsByBackend().get("ci").size() == 2).await(30, TimeUnit.SECONDS);
    vertx.timer(1_000).await(5, TimeUnit.SECONDS);

    assertEquals(List.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED), types(receiver),
      "forwarders of 'ci' now: " + forwarders.circuitsByBackend());
  }

  /**
   * Two instances, each with its forwarder of the backend, both open. The backend comes back and one probe closes
   * one circuit; the other instance's is still not closed, so the node has not recovered: the receiver (no quiet
   * period) is told so only once the second closes too.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void withTwoInstancesRecoveredIsSentWhenTheLastOfTheBackendsCircuitsCloses(Vertx vertx) throws Exception {
    RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(5, TimeUnit.SECONDS);
    String url = Configs.unreachableUrl();
    JsonObject ci = failingFast("ci", url).put("circuitBreaker", new JsonObject().put("failureThreshold", 2).put("resetTimeoutMs", 500));
    JsonObject config = node(new JsonArray().add(ci), routeTo("ci"), circuitEvents(receiver).put("quietSeconds", 0));
    RunningHookcast first = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
    RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
    ForwarderRegistry forwarders = NodeParts.of(vertx, HookcastConfig.fromJson(config)).forwarders();
    postUntil(vertx, first, () -> circuits(forwarders).stream().noneMatch(CircuitBreakerState.CLOSED::equals));
    RecordingBackend.start(vertx, URI.create(url).getPort(), (request, body) -> request.response().end("ok")).await(5, TimeUnit.SECONDS);
    within(vertx, 10_000, () -> circuits(forwarders).stream().allMatch(CircuitBreakerState.HALF_OPEN::equals)).await(15, TimeUnit.SECONDS);

    assertEquals(200, first.post("/hook", "{}").await(10, TimeUnit.SECONDS).statusCode());
    vertx.timer(1_000).await(5, TimeUnit.SECONDS);
    assertEquals(List.of(CircuitBreakerState.CLOSED, CircuitBreakerState.HALF_OPEN), circuits(forwarders).stream().sorted().toList());
    assertEquals(List.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.CIRCUIT_OPEN), types(receiver),
      "one of the node's two circuits of 'ci' is still half-open");

    postUntil(vertx, first, () -> circuits(forwarders).stream().allMatch(CircuitBreakerState.CLOSED::equals));
    within(vertx, 10_000, () -> types(receiver).contains(AlertConfig.RECOVERED)).await(15, TimeUnit.SECONDS);
    vertx.timer(500).await(5, TimeUnit.SECONDS);
    assertEquals(List.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED), types(receiver));
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

  /**
   * GitHub does not send a webhook answered 503 again by itself: a store that stops accepting has to reach a person,
   * and so does its end, with how many webhooks it refused meanwhile.
   */
  @Test
  @Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
  void aStoreThatStopsAcceptingGivesStoreUnavailableThenStoreRecoveredWithTheWebhooksItRefused(Vertx vertx) throws Exception {
    Path dataDir = dir.resolve("postgres");
    Postgres postgres = Postgres.startIn(dataDir);
    try {
      StoreConfig store = postgres.freshDatabase();
      RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(10, TimeUnit.SECONDS);
      RecordingBackend ci = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
      JsonObject config = node(new JsonArray().add(Configs.backend("ci", ci.url(), 2_000)),
        new JsonArray().add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("ci")).put("mode", "async")),
        new JsonObject().put("url", receiver.url()).put("events", new JsonArray().add(AlertConfig.STORE_UNAVAILABLE)
          .add(AlertConfig.STORE_RECOVERED)))
        .put("nodeName", "node-a")
        .put("store", new JsonObject().put("url", store.url()).put("user", store.user()).put("password", store.password()));
      RunningHookcast node = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
      assertEquals(202, node.post("/hook", "before").await(30, TimeUnit.SECONDS).statusCode());

      postgres.stop();
      int refused = 0;
      for (int i = 0; i < 3; i++) {
        assertEquals(503, node.post("/hook", "during").await(30, TimeUnit.SECONDS).statusCode());
        refused++;
      }
      within(vertx, 20_000, () -> types(receiver).contains(AlertConfig.STORE_UNAVAILABLE)).await(30, TimeUnit.SECONDS);

      postgres = postgres.restart(dataDir);
      // The pool finds out that its old connections died by using them: a sender's retry is what reaches the new server.
      long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      int status = 0;
      while (status != 202 && System.nanoTime() - giveUpAt < 0) {
        status = node.post("/hook", "after").await(30, TimeUnit.SECONDS).statusCode();
        refused += status == 503 ? 1 : 0;
      }
      assertEquals(202, status, "not accepted again once the server was back");
      // No webhook after it: the outage's end is not left to the next one.
      within(vertx, 20_000, () -> types(receiver).contains(AlertConfig.STORE_RECOVERED)).await(30, TimeUnit.SECONDS);
      vertx.timer(500).await(5, TimeUnit.SECONDS);

      assertEquals(List.of(AlertConfig.STORE_UNAVAILABLE, AlertConfig.STORE_RECOVERED), types(receiver));
      JsonObject unavailable = receiver.received().get(0).body().toJsonObject();
      assertFalse(unavailable.containsKey("backend"), unavailable.encode());
      assertEquals("node-a", unavailable.getString("node"));
      assertEquals("/ready", unavailable.getString("link"));
      assertTrue(unavailable.getString("text").startsWith("store.url '") && unavailable.getString("text").contains("answered 503"),
        unavailable.getString("text"));
      assertFalse(unavailable.getString("text").contains(Postgres.PASSWORD), "the store's password in an alert");
      JsonObject recovered = receiver.received().get(1).body().toJsonObject();
      assertEquals(refused, recovered.getLong("refused"), recovered.encode());
      assertEquals(refused, recovered.getLong("refusedSinceStart"), recovered.encode());
      assertTrue(recovered.getString("text").contains("accepted again"), recovered.getString("text"));
    } finally {
      postgres.stop();
    }
  }

  private static List<CircuitBreakerState> circuits(ForwarderRegistry forwarders) {
    return forwarders.circuitsByBackend().getOrDefault("ci", List.of());
  }

  /** Watched every 100 ms, as the config file of a running node. */
  private static JsonObject watched(JsonObject config) {
    return config.put("reload", new JsonObject().put("scanPeriodMs", 100));
  }

  /**
   * A node reading {@code before}, whose circuit of backend 'ci' is opened by webhooks; then the file says
   * {@code after}: the one alert after the circuit_open, a recovered of 'ci'.
   */
  private JsonObject recoveredAfterReload(Vertx vertx, RecordingBackend receiver, JsonObject before, JsonObject after)
    throws Exception {
    Path file = write(before);
    RunningHookcast node = RunningHookcast.deploy(vertx, before).await(10, TimeUnit.SECONDS);
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(before)).await(5, TimeUnit.SECONDS);
    postUntil(vertx, node, () -> types(receiver).contains(AlertConfig.CIRCUIT_OPEN));

    write(after);
    untilAnswered(vertx, node, 200).await(20, TimeUnit.SECONDS);
    within(vertx, 20_000, () -> types(receiver).contains(AlertConfig.RECOVERED)).await(30, TimeUnit.SECONDS);
    vertx.timer(500).await(5, TimeUnit.SECONDS);

    assertEquals(List.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED), types(receiver));
    JsonObject recovered = receiver.received().get(1).body().toJsonObject();
    assertEquals("ci", recovered.getString("backend"));
    return recovered;
  }

  private Path write(JsonObject config) throws Exception {
    return Files.writeString(dir.resolve("hookcast.json"), config.encode());
  }

  /** Tried once per webhook, its circuit opened by two failures and left open for the whole test. */
  private static JsonObject failingFast(String name, String url) {
    return Configs.backend(name, url, 2_000).put("retry", new JsonObject().put("maxAttempts", 1))
      .put("circuitBreaker", new JsonObject().put("failureThreshold", 2).put("resetTimeoutMs", 600_000));
  }

  private static JsonArray routeTo(String... backends) {
    return new JsonArray().add(new JsonObject().put("path", "/").put("backends", new JsonArray(List.of((Object[]) backends))));
  }

  private static JsonObject circuitEvents(RecordingBackend receiver) {
    return new JsonObject().put("url", receiver.url()).put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN).add(AlertConfig.RECOVERED));
  }

  /** Sends webhooks one after the other until {@code done}, at most 200. */
  private static void postUntil(Vertx vertx, RunningHookcast node, BooleanSupplier done) throws Exception {
    for (int i = 0; i < 200 && !done.getAsBoolean(); i++) {
      node.post("/hook", "{}").await(10, TimeUnit.SECONDS);
      vertx.timer(20).await(5, TimeUnit.SECONDS);
    }
    assertTrue(done.getAsBoolean(), "still not so after 200 webhooks");
  }

  /** Until {@code done}, or {@code ms} at most: the assertions after it say what was missing. */
  private static Future<Void> within(Vertx vertx, long ms, BooleanSupplier done) {
    long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    return until(vertx, () -> done.getAsBoolean() || System.nanoTime() - giveUpAt >= 0);
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
