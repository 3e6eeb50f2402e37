package io.hookcast.reload;

import io.hookcast.HookcastVerticle;
import io.hookcast.NodeParts;
import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault test: the config file changes under a steady stream of webhooks. */
@ExtendWith(VertxExtension.class)
class LiveReloadTest {

  @Test
  void addingRemovingAndRepointingBackendsUnderLoadFailsNoWebhookAndABrokenFileChangesNothing(
    Vertx vertx, @TempDir Path dir, VertxTestContext context) throws Exception {
    RecordingBackend a = RecordingBackend.answeringAfter(vertx, 30, 200, "a").await(5, TimeUnit.SECONDS);
    RecordingBackend b = RecordingBackend.answering(vertx, 200, "b").await(5, TimeUnit.SECONDS);
    RecordingBackend b2 = RecordingBackend.answering(vertx, 200, "b2").await(5, TimeUnit.SECONDS);
    RecordingBackend c = RecordingBackend.answering(vertx, 200, "c").await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    // Written whole with a scan every 100 ms: a half-written file is read at worst once, refused, and read again.
    JsonObject initial = config(Configs.backend("a", a.url()), Configs.backend("b", b.url()));
    Files.writeString(file, initial.encode());
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, initial).await(10, TimeUnit.SECONDS);
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);
    ForwarderRegistry forwarders = NodeParts.of(vertx, HookcastConfig.fromJson(initial)).forwarders();

    ConcurrentLinkedQueue<JsonObject> answers = new ConcurrentLinkedQueue<>();
    AtomicBoolean streaming = new AtomicBoolean(true);
    Future<Void> stream = Future.all(List.of(sendWhile(hookcast, streaming, answers), sendWhile(hookcast, streaming, answers),
      sendWhile(hookcast, streaming, answers))).mapEmpty();

    Files.writeString(file, config(Configs.backend("a", a.url()), Configs.backend("b", b.url()), Configs.backend("c", c.url())).encode());
    awaitAnswerWith(answers, Set.of("a", "b", "c"));
    Files.writeString(file, config(Configs.backend("b", b.url()), Configs.backend("c", c.url())).encode());
    awaitAnswerWith(answers, Set.of("b", "c"));
    Files.writeString(file, config(Configs.backend("b", b2.url()), Configs.backend("c", c.url())).encode());
    awaitUntil(() -> !b2.received().isEmpty(), "b's new URL received nothing");
    int toRemovedA = a.received().size();
    int toOldB = b.received().size();
    int beforeBroken = b2.received().size();
    try (LogCapture log = LogCapture.of(ConfigWatcherVerticle.class)) {
      Files.writeString(file, "{\"backends\": [{\"name\": \"b\", \"url\": \"ftp://nowhere/\"}]}");
      // The watcher read the broken file whole (a half-written read fails otherwise) and refused it.
      Eventually.until(Duration.ofSeconds(10), () -> log.lines().stream()
          .anyMatch(line -> line.contains("changed but is invalid") && line.contains("'ftp://nowhere/' is not an http")),
        () -> "the broken file was not refused; the watcher's log: " + log.lines());
    }
    int afterBroken = answers.size();
    int toB2AfterBroken = b2.received().size();
    Eventually.until(Duration.ofSeconds(10), () -> answers.size() > afterBroken && b2.received().size() > toB2AfterBroken,
      () -> "after the refusal: " + (answers.size() - afterBroken) + " answers, " + (b2.received().size() - toB2AfterBroken)
        + " webhooks to b's new URL");
    streaming.set(false);
    stream.await(10, TimeUnit.SECONDS);
    // A retired backend's forwarder goes once it has been idle a moment, which a busy machine can stretch.
    Eventually.until(Duration.ofSeconds(10), () -> forwarders.circuitsByBackend().keySet().equals(Set.of("b", "c")),
      () -> "retired forwarders are still running: " + forwarders.circuitsByBackend().keySet());

    context.verify(() -> {
      assertTrue(answers.size() > 10, "only " + answers.size() + " webhooks sent");
      for (JsonObject answer : answers) {
        assertEquals(200, answer.getInteger("status"), answer.encode());
        Set<String> backends = answer.getJsonObject("body").fieldNames();
        assertTrue(Set.of(Set.of("a", "b"), Set.of("a", "b", "c"), Set.of("b", "c")).contains(backends), answer.encode());
      }
      assertTrue(answers.size() > afterBroken, "webhooks stopped after the broken file");
      assertEquals(toRemovedA, a.received().size(), "the removed backend still received webhooks");
      assertEquals(toOldB, b.received().size(), "b's old URL still received webhooks");
      assertTrue(b2.received().size() > beforeBroken, "the broken file replaced the running config");
      context.completeNow();
    });
  }

  /**
   * A webhook routed before a reload keeps its backends' old addresses for its quick retries: its first attempt fails
   * slowly (503 after 1 s), and the reload (a changed timeoutMs, so a new address) comes meanwhile. The old forwarders
   * retired as soon as nothing new reached them, and the retry was answered 503 "no forwarder".
   */
  @Test
  void aWebhookInFlightAtAReloadIsRetriedThroughTheForwardersItWasRoutedTo(Vertx vertx, @TempDir Path dir) throws Exception {
    AtomicBoolean first = new AtomicBoolean(true);
    RecordingBackend flaky = RecordingBackend.start(vertx, (request, body) -> {
      int status = first.getAndSet(false) ? 503 : 200;
      vertx.setTimer(status == 503 ? 1_000 : 1, id -> request.response().setStatusCode(status).end(status == 503 ? "busy" : "ok"));
    }).await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      RunningHookcast hookcast = watching(vertx, file, config(Configs.backend("flaky", flaky.url(), 5_000).put("retry", quickRetry())));
      Future<HttpResponse<Buffer>> answer = hookcast.post("/", "webhook");
      awaitUntil(() -> flaky.received().size() == 1, "the webhook never reached the backend");
      Files.writeString(file, config(Configs.backend("flaky", flaky.url(), 4_000).put("retry", quickRetry())).encode());
      awaitUntil(() -> log.lines().stream().anyMatch(line -> line.startsWith("configuration reloaded")),
        "no reload: " + log.lines());
      JsonObject body = answer.await(10, TimeUnit.SECONDS).bodyAsJsonObject();

      assertEquals(200, body.getJsonObject("flaky").getInteger("status"), body.encode());
      assertEquals(2, flaky.received().size());
    }
  }

  /**
   * The forwarders a reload retires wait for the webhooks routed to them, and only they: a reload right after (one
   * that corrects the first, say) is applied while those are still being answered, not after them.
   */
  @Test
  void aReloadRightAfterAnotherIsAppliedWhileTheFirstsWebhooksAreStillAnswered(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 3_000, 200, "slow").await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      InFlight inFlight = webhookInFlight(vertx, dir, slow);
      Path file = inFlight.file();
      Future<HttpResponse<Buffer>> answer = inFlight.answer();
      Files.writeString(file, config(Configs.backend("slow", slow.url(), 4_000)).encode());
      awaitUntil(() -> reloads(log) == 1, "no first reload: " + log.lines());
      Files.writeString(file, config(Configs.backend("slow", slow.url(), 4_500)).encode());
      awaitUntil(() -> reloads(log) == 2, "no second reload: " + log.lines());

      assertTrue(!answer.isComplete(), "the second reload waited for the webhook routed before the first");
      assertEquals(200, answer.await(10, TimeUnit.SECONDS).statusCode());
    }
  }

  /**
   * A reload undone (A, then B, then A again) while a webhook routed under A is still in flight keeps A's forwarders,
   * which were waiting for it to retire: started anew beside them, the backend had two forwarders on one address, so
   * twice its connections, and the old one went at its longest quiet wait while hand-offs still came.
   */
  @Test
  void aReloadUndoneWhileItsForwardersRetireKeepsThemRatherThanStartingMore(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 4_000, 200, "slow").await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      InFlight inFlight = webhookInFlight(vertx, dir, slow);
      Path file = inFlight.file();
      Future<HttpResponse<Buffer>> answer = inFlight.answer();
      ForwarderRegistry forwarders = NodeParts.of(vertx, HookcastConfig.fromJson(inFlight.initial())).forwarders();
      Files.writeString(file, config(Configs.backend("slow", slow.url(), 4_500)).encode());
      awaitUntil(() -> reloads(log) == 1, "no first reload: " + log.lines());
      Files.writeString(file, inFlight.initial().encode());
      awaitUntil(() -> reloads(log) == 2, "no second reload: " + log.lines());
      // The second settings' forwarders had no webhook to wait for, and go.
      awaitUntil(() -> forwarders.circuitsByBackend().getOrDefault("slow", List.of()).size() == 1,
        "forwarders of 'slow': " + forwarders.circuitsByBackend());
      vertx.timer(500).await(5, TimeUnit.SECONDS);

      assertTrue(!answer.isComplete(), "the webhook was answered before the check");
      assertEquals(1, forwarders.circuitsByBackend().get("slow").size(), "forwarders of 'slow': " + forwarders.circuitsByBackend());
      assertEquals(200, answer.await(10, TimeUnit.SECONDS).statusCode());
    }
  }

  /**
   * A reload undone and made again (A, B, A, B) while a webhook routed under A is in flight: A's forwarder, retired
   * again by the third reload, waits for the webhooks routed to it since the second, not only for the first's. It was
   * undeployed once the first webhook was answered, and the quick retry of one sent in between was answered 503
   * "no forwarder".
   */
  @Test
  void aForwarderRetiredAgainWaitsForTheWebhooksOfItsLatestRetirement(Vertx vertx, @TempDir Path dir) throws Exception {
    AtomicBoolean secondTried = new AtomicBoolean();
    RecordingBackend backend = RecordingBackend.start(vertx, (request, body) -> {
      if (body.toString().equals("first")) {
        vertx.setTimer(1_200, id -> request.response().end("first ok"));
      } else if (!secondTried.getAndSet(true)) {
        vertx.setTimer(1_300, id -> request.response().setStatusCode(503).end("busy"));
      } else {
        request.response().end("second ok");
      }
    }).await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    JsonObject a = config(Configs.backend("flaky", backend.url(), 5_000).put("retry", quickRetry()));
    JsonObject b = config(Configs.backend("flaky", backend.url(), 4_500).put("retry", quickRetry()));
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      RunningHookcast hookcast = watching(vertx, file, a);
      Future<HttpResponse<Buffer>> first = hookcast.post("/", "first");
      awaitUntil(() -> backend.received().size() == 1, "the first webhook never reached the backend");
      Files.writeString(file, b.encode());
      awaitUntil(() -> reloads(log) == 1, "no first reload: " + log.lines());
      Files.writeString(file, a.encode());
      awaitUntil(() -> reloads(log) == 2, "no second reload: " + log.lines());
      Future<HttpResponse<Buffer>> second = hookcast.post("/", "second");
      awaitUntil(() -> backend.received().size() == 2, "the second webhook never reached the backend");
      Files.writeString(file, b.encode());
      awaitUntil(() -> reloads(log) == 3, "no third reload: " + log.lines());
      assertTrue(!first.isComplete(), "the first webhook was answered before the third reload: the test ran too slowly");

      assertEquals(200, first.await(10, TimeUnit.SECONDS).statusCode());
      JsonObject answer = second.await(10, TimeUnit.SECONDS).bodyAsJsonObject().getJsonObject("flaky");
      assertEquals(200, answer.getInteger("status"), answer.encode());
      assertEquals(2, answer.getInteger("attempts"), answer.encode());
    }
  }

  /** A node reading {@code file}, with one backend, and the answer to a webhook its backend has received but not answered. */
  private record InFlight(Path file, JsonObject initial, Future<HttpResponse<Buffer>> answer) {
  }

  /** A node watching its config file, with backend 'slow' (timeoutMs 5000), and a webhook under way to it. */
  private static InFlight webhookInFlight(Vertx vertx, Path dir, RecordingBackend slow) throws Exception {
    Path file = dir.resolve("hookcast.json");
    JsonObject initial = config(Configs.backend("slow", slow.url(), 5_000));
    RunningHookcast hookcast = watching(vertx, file, initial);
    Future<HttpResponse<Buffer>> answer = hookcast.post("/", "webhook");
    awaitUntil(() -> slow.received().size() == 1, "the webhook never reached the backend");
    return new InFlight(file, initial, answer);
  }

  /** A node started with {@code initial}, written to {@code file}, which it watches. */
  private static RunningHookcast watching(Vertx vertx, Path file, JsonObject initial) throws Exception {
    Files.writeString(file, initial.encode());
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, initial).await(10, TimeUnit.SECONDS);
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);
    return hookcast;
  }

  /** One quick retry, 100 ms after the first attempt. */
  private static JsonObject quickRetry() {
    return new JsonObject().put("maxAttempts", 2).put("initialBackoffMs", 100).put("maxBackoffMs", 100);
  }

  private static long reloads(LogCapture log) {
    return log.lines().stream().filter(line -> line.startsWith("configuration reloaded")).count();
  }

  /**
   * The listener keeps its settings until a restart: a reload with a backend timeoutMs that the running
   * http.idleTimeoutMs cannot wait for is refused whole, although its own file (with a longer idle timeout) is valid.
   */
  @Test
  void aReloadWhoseBackendsTheRunningListenerCannotWaitForIsRefusedWhole(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend a = RecordingBackend.answering(vertx, 200, "a").await(5, TimeUnit.SECONDS);
    RecordingBackend b = RecordingBackend.answering(vertx, 200, "b").await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    JsonObject initial = config(Configs.backend("a", a.url()));
    Files.writeString(file, initial.encode());
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      RunningHookcast hookcast = RunningHookcast.deploy(vertx, initial).await(10, TimeUnit.SECONDS);
      ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);
      JsonObject longer = config(Configs.backend("a", a.url()).put("timeoutMs", 45_000), Configs.backend("b", b.url()));
      longer.getJsonObject("http").put("idleTimeoutMs", 50_000);
      Files.writeString(file, longer.encode());
      awaitUntil(() -> log.lines().stream().anyMatch(line -> line.startsWith("configuration reload refused")),
        "no reload refused: " + log.lines());
      JsonObject answer = hookcast.post("/", "webhook").await(10, TimeUnit.SECONDS).bodyAsJsonObject();

      assertEquals(Set.of("a"), answer.fieldNames(), "the refused reload was applied: " + answer);
      String refusal = log.lines().stream().filter(line -> line.startsWith("configuration reload refused")).findFirst().orElseThrow();
      assertTrue(refusal.contains("http.idleTimeoutMs: 30000 must be longer than the longest backend timeoutMs (45000)"), refusal);
    }
  }

  /**
   * Two Hookcast instances in one Vert.x, as {@code -instances 2} runs them: each switches on its own, and the
   * forwarders that one retires may still be sent webhooks by the other. The old URL answers slowly, so that
   * webhooks are still held by its forwarders while they retire. Every answer says which URL answered it: once a
   * sender has seen one from the new URL through an ingress, that ingress had switched before anything sent next.
   */
  @Test
  void aRepointedBackendGetsNoWebhookAtItsOldUrlAfterTheSwitchAndNoneFailsDuringIt(
    Vertx vertx, @TempDir Path dir, VertxTestContext context) throws Exception {
    RecordingBackend old = RecordingBackend.answeringAfter(vertx, 20, 200, "old").await(5, TimeUnit.SECONDS);
    RecordingBackend current = RecordingBackend.answering(vertx, 200, "new").await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    JsonObject initial = config(Configs.backend("moving", old.url()));
    Files.writeString(file, initial.encode());
    List<RunningHookcast> instances = List.of(RunningHookcast.deploy(vertx, initial).await(10, TimeUnit.SECONDS),
      RunningHookcast.deploy(vertx, initial).await(10, TimeUnit.SECONDS));
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);
    ForwarderRegistry forwarders = NodeParts.of(vertx, HookcastConfig.fromJson(initial)).forwarders();

    ConcurrentLinkedQueue<JsonObject> answers = new ConcurrentLinkedQueue<>();
    List<AtomicLong> firstNewAnswerAt = List.of(new AtomicLong(Long.MAX_VALUE), new AtomicLong(Long.MAX_VALUE));
    AtomicBoolean streaming = new AtomicBoolean(true);
    List<Future<Void>> senders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      senders.add(sendTimedWhile(instances, i % 2, streaming, answers, firstNewAnswerAt.get(i % 2)));
    }
    awaitUntil(() -> answers.size() > 20, "no webhooks answered before the change");
    Files.writeString(file, config(Configs.backend("moving", current.url())).encode());
    awaitUntil(() -> current.received().size() > 100, "the new URL never got webhooks");
    streaming.set(false);
    Future.all(senders).await(10, TimeUnit.SECONDS);
    // The old forwarders retire once the webhooks they hold are answered; a fast run can send the 100 first.
    awaitUntil(() -> forwarders.circuitsByBackend().getOrDefault("moving", List.of()).size() == 2,
      "old forwarders are still running: " + forwarders.circuitsByBackend());

    context.verify(() -> {
      List<String> sentAfterSwitch = new ArrayList<>();
      for (JsonObject answer : answers) {
        assertEquals(200, answer.getInteger("status"), answer.encode());
        if (answer.getLong("sentAt") > firstNewAnswerAt.get(answer.getInteger("instance")).get()) {
          sentAfterSwitch.add(answer.getString("body"));
        }
      }
      assertTrue(sentAfterSwitch.size() > 10, "only " + sentAfterSwitch.size() + " webhooks sent after the switch");
      assertTrue(sentAfterSwitch.stream().allMatch("new"::equals), "the old URL answered after the switch: " + sentAfterSwitch);
      assertEquals(answers.size(), old.received().size() + current.received().size(), "each webhook delivered exactly once");
      assertEquals(Set.of("moving"), forwarders.circuitsByBackend().keySet());
      context.completeNow();
    });
  }

  /**
   * An async route's deliveries follow a repointed backend once the attempts under way at the old URL are answered.
   * The old forwarders, still sent webhooks by the old scheduler, never went quiet and were retired only after the
   * longest a retiring forwarder waits (5 s): webhooks accepted meanwhile still went to the old URL.
   */
  @Test
  void anAsyncRoutesWebhooksAcceptedThreeSecondsAfterARepointingReachOnlyTheNewUrl(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend old = RecordingBackend.answeringAfter(vertx, 200, 200, "old").await(5, TimeUnit.SECONDS);
    RecordingBackend current = RecordingBackend.answering(vertx, 200, "new").await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    JsonObject initial = asyncConfig(dir, old.url());
    Files.writeString(file, initial.encode());
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, initial).await(60, TimeUnit.SECONDS);
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);

    Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
    AtomicBoolean streaming = new AtomicBoolean(true);
    List<Future<Void>> senders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      senders.add(acceptWhile(hookcast, streaming, acceptedAt));
    }
    awaitUntil(() -> old.received().size() > 10, "no webhooks delivered before the change");
    long changedAt = System.nanoTime();
    Files.writeString(file, asyncConfig(dir, current.url()).encode());
    awaitUntil(() -> current.received().size() > 50, "the new URL never got webhooks");
    streaming.set(false);
    Future.all(senders).await(10, TimeUnit.SECONDS);
    awaitUntil(() -> undelivered(acceptedAt.keySet(), old, current).isEmpty(),
      "accepted but not delivered: " + undelivered(acceptedAt.keySet(), old, current));

    // Within the 5 s the old forwarders could be held: the switch waits only for the old scheduler's attempts.
    long settledAt = changedAt + TimeUnit.SECONDS.toNanos(3);
    List<String> lateAtTheOldUrl = AsyncWebhooks.deliveriesById(old).keySet().stream()
      .filter(id -> acceptedAt.get(id) > settledAt).toList();
    assertEquals(List.of(), lateAtTheOldUrl, "accepted three seconds after the change, delivered to the old URL");
  }

  /** Replacing the scheduler pauses every async lane until its slowest attempt is recorded; a new order is no change. */
  @Test
  void backendsListedInAnotherOrderKeepTheSchedulerAndEveryForwarder(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(5, TimeUnit.SECONDS);
    RecordingBackend two = RecordingBackend.answering(vertx, 200, "two").await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    JsonObject initial = config(Configs.backend("one", one.url()), Configs.backend("two", two.url()))
      .put("routes", AsyncWebhooks.asyncRoute("/async", "one", "two"))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()));
    Files.writeString(file, initial.encode());
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      RunningHookcast.deploy(vertx, initial).await(60, TimeUnit.SECONDS);
      ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);
      Set<String> deployed = Set.copyOf(vertx.deploymentIDs());

      JsonObject reordered = initial.copy().put("backends", new JsonArray().add(initial.getJsonArray("backends").getValue(1))
        .add(initial.getJsonArray("backends").getValue(0)));
      Files.writeString(file, reordered.encode());
      awaitUntil(() -> reloads(log) == 1, "no reload: " + log.lines());

      assertEquals(deployed, Set.copyOf(vertx.deploymentIDs()), "deployments after the reload");
    }
  }

  /** An operator who changed only what needs a restart reads that nothing was applied, not a list of backends. */
  @Test
  void aReloadThatChangesOnlyRestartSettingsSaysNothingWasApplied(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(5, TimeUnit.SECONDS);
    Path file = dir.resolve("hookcast.json");
    JsonObject initial = config(Configs.backend("one", one.url()));
    Files.writeString(file, initial.encode());
    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      RunningHookcast.deploy(vertx, initial).await(60, TimeUnit.SECONDS);
      ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);

      Files.writeString(file, initial.copy().put("admin", initial.getJsonObject("admin").copy().put("recentSync", 7)).encode());
      awaitUntil(() -> reloads(log) == 1, "no reload: " + log.lines());

      assertTrue(log.lines().contains("configuration changes to [admin] take effect at the next restart; nothing else changed"),
        log.lines().toString());
      assertTrue(log.lines().contains("configuration reloaded: nothing a reload applies has changed"), log.lines().toString());
    }
  }

  private static Future<Void> acceptWhile(RunningHookcast hookcast, AtomicBoolean streaming, Map<String, Long> acceptedAt) {
    if (!streaming.get()) {
      return Future.succeededFuture();
    }
    return hookcast.post("/async", "webhook").compose(response -> {
      if (response.statusCode() == 202) {
        acceptedAt.put(response.bodyAsJsonObject().getString("id"), System.nanoTime());
      }
      return acceptWhile(hookcast, streaming, acceptedAt);
    });
  }

  private static List<String> undelivered(Set<String> ids, RecordingBackend... backends) {
    Set<String> delivered = new HashSet<>();
    for (RecordingBackend backend : backends) {
      delivered.addAll(AsyncWebhooks.deliveriesById(backend).keySet());
    }
    return ids.stream().filter(id -> !delivered.contains(id)).toList();
  }

  private static JsonObject asyncConfig(Path dir, String url) {
    return config(Configs.backend("moving", url)).put("routes", AsyncWebhooks.asyncRoute("/async", "moving"))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()));
  }

  private static Future<Void> sendTimedWhile(List<RunningHookcast> instances, int instance, AtomicBoolean streaming,
                                             ConcurrentLinkedQueue<JsonObject> answers, AtomicLong firstNewAnswerAt) {
    if (!streaming.get()) {
      return Future.succeededFuture();
    }
    long sentAt = System.nanoTime();
    return instances.get(instance).post("/", "webhook").compose(response -> {
      String body = response.bodyAsJsonObject().getJsonObject("moving").getString("body");
      if ("new".equals(body)) {
        firstNewAnswerAt.accumulateAndGet(System.nanoTime(), Math::min);
      }
      answers.add(new JsonObject().put("instance", instance).put("status", response.statusCode()).put("body", body)
        .put("sentAt", sentAt));
      return sendTimedWhile(instances, instance, streaming, answers, firstNewAnswerAt);
    });
  }

  private static JsonObject config(JsonObject... backends) {
    return Configs.withBackends(backends);
  }

  /** One webhook after another until told to stop; every answer recorded with its status. */
  private static Future<Void> sendWhile(RunningHookcast hookcast, AtomicBoolean streaming, ConcurrentLinkedQueue<JsonObject> answers) {
    if (!streaming.get()) {
      return Future.succeededFuture();
    }
    return hookcast.post("/", "webhook").compose(response -> {
      answers.add(new JsonObject().put("status", response.statusCode()).put("body", response.bodyAsJsonObject()));
      return sendWhile(hookcast, streaming, answers);
    });
  }

  private static void awaitAnswerWith(ConcurrentLinkedQueue<JsonObject> answers, Set<String> backends) throws InterruptedException {
    awaitUntil(() -> answers.stream().anyMatch(answer -> answer.getJsonObject("body").fieldNames().equals(backends)),
      "no answer ever had backends " + backends);
  }

  private static void awaitUntil(BooleanSupplier condition, String failure) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure);
      }
      Thread.sleep(20);
    }
  }
}
