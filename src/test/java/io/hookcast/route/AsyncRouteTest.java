package io.hookcast.route;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sync and async routes of one node in the test's Vert.x, with real backends and a real store. The test thread waits
 * on futures and on the backends; the node's event loops never wait.
 */
@ExtendWith(VertxExtension.class)
class AsyncRouteTest {

  private static final Duration DELIVERY = Duration.ofSeconds(30);

  private RecordingBackend ci;
  private RecordingBackend audit;

  @BeforeEach
  void startBackends(Vertx vertx) throws Exception {
    ci = RecordingBackend.answering(vertx, 200, "ci").await(10, TimeUnit.SECONDS);
    audit = RecordingBackend.answering(vertx, 200, "audit").await(10, TimeUnit.SECONDS);
  }

  /** Closes the node (and its store) while the store's directory still exists: the temporary directory goes next. */
  @AfterEach
  void closeTheNode(Vertx vertx) throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aSyncRouteAnswersTheAggregateAndAnAsyncRouteAnswers202ThenDeliversToEveryBackend(Vertx vertx, @TempDir Path dir)
    throws Exception {
    RunningHookcast hookcast = deploy(vertx, embeddedStore(dir));

    HttpResponse<Buffer> sync = hookcast.post("/sync/push", "sync-body").await(10, TimeUnit.SECONDS);
    assertEquals(200, sync.statusCode(), sync.bodyAsString());
    assertEquals(200, sync.bodyAsJsonObject().getJsonObject("ci").getInteger("status"));
    assertEquals(200, sync.bodyAsJsonObject().getJsonObject("audit").getInteger("status"));

    HttpResponse<Buffer> async = hookcast.post("/github/push?x=1", "async-body").await(10, TimeUnit.SECONDS);
    assertEquals(202, async.statusCode(), async.bodyAsString());
    JsonObject accepted = async.bodyAsJsonObject();
    String id = accepted.getString("id");
    assertNotNull(id, accepted.encode());
    assertEquals("/github", accepted.getString("route"));
    assertEquals(new JsonArray().add("ci").add("audit"), accepted.getJsonArray("backends"));
    assertNull(accepted.getValue("duplicate"), accepted.encode());
    assertEquals(id, async.getHeader("X-Hookcast-Message-Id"));

    for (RecordingBackend backend : List.of(ci, audit)) {
      Eventually.until(DELIVERY, () -> !deliveriesOf(backend, id).isEmpty(), () -> "received " + backend.received());
      RecordingBackend.Received received = deliveriesOf(backend, id).get(0);
      assertEquals("/github/push?x=1", received.uri());
      assertEquals("async-body", received.body().toString());
      assertEquals("1", received.headers().get("X-Hookcast-Attempt"));
      RecordingBackend.Received syncReceived = backend.received().stream().filter(r -> r.uri().equals("/sync/push")).findFirst().orElseThrow();
      assertNull(syncReceived.headers().get("X-Hookcast-Message-Id"), "a sync delivery carries a message id");
    }
  }

  @Test
  void eachScheduledAttemptIsOneRequestWhoseAttemptHeaderIsTrueEvenWithQuickRetriesConfigured(Vertx vertx, @TempDir Path dir)
    throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordingBackend flaky = RecordingBackend.start(vertx, (request, body) -> request.response()
      .setStatusCode(calls.incrementAndGet() <= 2 ? 503 : 200).end("flaky")).await(10, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("flaky", flaky.url()))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("flaky"))
        .put("mode", "async")))
      .put("store", embeddedStore(dir))
      .put("delivery", new JsonObject().put("retry", new JsonObject().put("maxAttempts", 3).put("initialBackoffMs", 1))
        .put("async", new JsonObject().put("schedule", new JsonArray().add("200ms").add("200ms").add("200ms"))));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);

    HttpResponse<Buffer> accepted = hookcast.post("/github/push", "flaky-body").await(10, TimeUnit.SECONDS);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    Eventually.until(DELIVERY, () -> calls.get() >= 3, () -> "received " + flaky.received());
    // A quick retry inside a scheduled attempt would have sent 1, 1, 1: one attempt of three requests.
    assertEquals(List.of("1", "2", "3"), flaky.received().stream().map(r -> r.headers().get("X-Hookcast-Attempt")).toList());
  }

  @Test
  void aPathNoRouteTakesIsAnswered404WithAJsonError(Vertx vertx, @TempDir Path dir) throws Exception {
    RunningHookcast hookcast = deploy(vertx, embeddedStore(dir));

    HttpResponse<Buffer> response = hookcast.post("/githubx", "lost").await(10, TimeUnit.SECONDS);

    assertEquals(404, response.statusCode(), response.bodyAsString());
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"), response.getHeader("Content-Type"));
    assertNotNull(response.bodyAsJsonObject().getString("error"));
    assertTrue(ci.received().isEmpty() && audit.received().isEmpty(), "delivered: " + ci.received() + audit.received());
  }

  @Test
  void aRedeliveryWithTheSameSenderIdGetsTheFirstIdAndIsNotDeliveredAgain(Vertx vertx, @TempDir Path dir) throws Exception {
    RunningHookcast hookcast = deploy(vertx, embeddedStore(dir));

    HttpResponse<Buffer> first = postWithSenderId(hookcast, "delivery-1", "first").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> again = postWithSenderId(hookcast, "delivery-1", "first, sent again").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> other = postWithSenderId(hookcast, "delivery-2", "other").await(10, TimeUnit.SECONDS);

    assertEquals(202, first.statusCode(), first.bodyAsString());
    assertEquals(202, again.statusCode(), again.bodyAsString());
    String id = first.bodyAsJsonObject().getString("id");
    assertEquals(id, again.bodyAsJsonObject().getString("id"));
    assertEquals(true, again.bodyAsJsonObject().getBoolean("duplicate"), again.bodyAsString());
    assertNull(again.bodyAsJsonObject().getValue("backends"), "a duplicate is delivered to no backend: " + again.bodyAsString());
    assertEquals(id, again.getHeader("X-Hookcast-Message-Id"));
    String otherId = other.bodyAsJsonObject().getString("id");
    for (RecordingBackend backend : List.of(ci, audit)) {
      // Once the later webhook is delivered too, a delivery of the duplicate would have had its chance.
      Eventually.until(DELIVERY, () -> !deliveriesOf(backend, id).isEmpty() && !deliveriesOf(backend, otherId).isEmpty(),
        () -> "received " + backend.received());
      assertEquals(List.of("first"), deliveriesOf(backend, id).stream().map(r -> r.body().toString()).toList());
    }
  }

  /**
   * The sender id is the first of the id headers present, as on a verified route the verifier takes the first present
   * for the one it checks: one it cannot use (over 200 characters) makes no sender id, rather than a later header, which
   * there was not signed and a replay could choose.
   */
  @Test
  void anIdHeaderThatCannotBeUsedMakesNoSenderIdRatherThanTheNextHeaders(Vertx vertx, @TempDir Path dir) throws Exception {
    RunningHookcast hookcast = deploy(vertx, embeddedStore(dir));
    String tooLong = "d".repeat(201);

    List<HttpResponse<Buffer>> answers = new java.util.ArrayList<>();
    for (String body : List.of("first", "second")) {
      answers.add(hookcast.client().request(HttpMethod.POST, "/github/push").putHeader("X-GitHub-Delivery", tooLong)
        .putHeader("Idempotency-Key", "same").sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS));
    }

    for (HttpResponse<Buffer> answer : answers) {
      assertEquals(202, answer.statusCode(), answer.bodyAsString());
      assertNull(answer.bodyAsJsonObject().getValue("duplicate"), answer.bodyAsString());
    }
  }

  @Test
  void withTheBodyAsDedupKeyAReplayUnderANewSenderIdIsStillADuplicate(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci"))
        .put("mode", "async").put("dedup", new JsonObject().put("key", "body"))))
      .put("store", embeddedStore(dir));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);

    HttpResponse<Buffer> first = postWithSenderId(hookcast, "delivery-1", "{\"event\": 1}").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> replay = postWithSenderId(hookcast, "delivery-forged", "{\"event\": 1}").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> other = postWithSenderId(hookcast, "delivery-1", "{\"event\": 2}").await(10, TimeUnit.SECONDS);

    String id = first.bodyAsJsonObject().getString("id");
    assertEquals(id, replay.bodyAsJsonObject().getString("id"), replay.bodyAsString());
    assertEquals(true, replay.bodyAsJsonObject().getBoolean("duplicate"), replay.bodyAsString());
    String otherId = other.bodyAsJsonObject().getString("id");
    assertNotEquals(id, otherId, "another body under the same header is another webhook");
    Eventually.until(DELIVERY, () -> !deliveriesOf(ci, id).isEmpty() && !deliveriesOf(ci, otherId).isEmpty(),
      () -> "received " + ci.received());
    assertEquals(1, deliveriesOf(ci, id).size());
  }

  @Test
  void whilePostgresIsDownAnAsyncRouteAnswers503WithRetryAfterAndDeliversNothingOfIt(Vertx vertx, @TempDir Path dir)
    throws Exception {
    Path dataDir = dir.resolve("postgres");
    Postgres postgres = Postgres.startIn(dataDir);
    try {
      StoreConfig store = postgres.freshDatabase();
      RunningHookcast hookcast = deploy(vertx, new JsonObject().put("url", store.url()).put("user", store.user())
        .put("password", store.password()));

      postgres.stop();
      HttpResponse<Buffer> during = hookcast.post("/github/push", "during").await(30, TimeUnit.SECONDS);
      assertEquals(503, during.statusCode(), during.bodyAsString());
      assertNotNull(during.getHeader("Retry-After"), "no Retry-After");
      assertNotNull(during.bodyAsJsonObject().getString("error"));

      postgres = postgres.restart(dataDir);
      // The pool finds out that its old connections died by using them: a sender's retry is what reaches the new server.
      HttpResponse<Buffer> after = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (int attempt = 0; (after == null || after.statusCode() != 202) && System.nanoTime() < deadline; attempt++) {
        after = hookcast.post("/github/push", "after-" + attempt).await(30, TimeUnit.SECONDS);
      }
      assertEquals(202, after.statusCode(), after.bodyAsString());
      String id = after.bodyAsJsonObject().getString("id");
      for (RecordingBackend backend : List.of(ci, audit)) {
        Eventually.until(DELIVERY, () -> !deliveriesOf(backend, id).isEmpty(), () -> "received " + backend.received());
        assertEquals(1, backend.received().size(), "only the webhook answered 202 is delivered, got " + backend.received());
      }
    } finally {
      postgres.stop();
    }
  }

  /** A body larger than a route reads on its event loop is read on a worker: its conditions decide as a small one's do. */
  @Test
  void theConditionsOfBothKindsOfRouteDecideOnALargeBodyAsOnASmallOne(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject deliver = new JsonObject().put("audit", new JsonObject().put("json", "/action").put("equals", "opened"));
    JsonArray backends = new JsonArray().add("ci").add("audit");
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()), Configs.backend("audit", audit.url()))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/github").put("backends", backends).put("mode", "async").put("deliver", deliver)
          .put("order", new JsonObject().put("key", new JsonObject().put("json", "/repository/id"))))
        .add(new JsonObject().put("path", "/sync").put("backends", backends).put("mode", "sync").put("deliver", deliver)))
      .put("store", embeddedStore(dir));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    String padding = "{\"padding\":\"" + "x".repeat(512 * 1024) + "\",\"repository\":{\"id\":1},\"action\":";

    HttpResponse<Buffer> opened = hookcast.post("/github/push", padding + "\"opened\"}").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> closed = hookcast.post("/github/push", padding + "\"closed\"}").await(10, TimeUnit.SECONDS);
    assertEquals(202, opened.statusCode(), opened.bodyAsString());
    assertEquals(backends, opened.bodyAsJsonObject().getJsonArray("backends"));
    assertEquals(202, closed.statusCode(), closed.bodyAsString());
    assertEquals(new JsonArray().add("ci"), closed.bodyAsJsonObject().getJsonArray("backends"));

    HttpResponse<Buffer> syncOpened = hookcast.post("/sync/push", padding + "\"opened\"}").await(10, TimeUnit.SECONDS);
    HttpResponse<Buffer> syncClosed = hookcast.post("/sync/push", padding + "\"closed\"}").await(10, TimeUnit.SECONDS);
    assertEquals(200, syncOpened.bodyAsJsonObject().getJsonObject("audit").getInteger("status"), syncOpened.bodyAsString());
    assertEquals(new JsonObject().putNull("status").put("skipped", true), syncClosed.bodyAsJsonObject().getJsonObject("audit"));
  }

  /**
   * A store keeps at most {@link StoreConfig#MAX_BODY_BYTES} of a body: a larger one on an async route would be answered
   * 503 at every retry of its sender. It is refused 413, saying why, before its body is read, while a sync route of
   * the same node waits for a body of that size, up to http.maxBodyBytes.
   */
  @Test
  void anAsyncRouteRefusesABodyLargerThanAStoreKeepsWith413WhileASyncRouteReadsIt(Vertx vertx, @TempDir Path dir)
    throws Exception {
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("maxBodyBytes", 2 * StoreConfig.MAX_BODY_BYTES))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci")).put("mode", "async"))
        .add(new JsonObject().put("path", "/sync").put("backends", new JsonArray().add("ci")).put("mode", "sync")))
      .put("store", embeddedStore(dir));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();

    HttpClientResponse refused = declaring(client, hookcast, "/github/push", StoreConfig.MAX_BODY_BYTES + 1).await(10, TimeUnit.SECONDS);
    assertEquals(413, refused.statusCode());
    assertEquals("request body is larger than the limit of " + StoreConfig.MAX_BODY_BYTES + " bytes (the most an async route"
      + " stores of a body)", new JsonObject(refused.body().await(10, TimeUnit.SECONDS)).getString("error"));

    Future<HttpClientResponse> sync = declaring(client, hookcast, "/sync/push", StoreConfig.MAX_BODY_BYTES + 1);
    vertx.timer(1_000).await(5, TimeUnit.SECONDS);
    assertFalse(sync.isComplete(), "a sync route did not wait for a body under http.maxBodyBytes: " + sync);
    client.close().await(10, TimeUnit.SECONDS);
    assertEquals(0, ci.received().size());
  }

  /**
   * A request declaring {@code length} bytes of body, of which it sends a few; its response once its body has arrived
   * too ({@link HttpClientResponse#body()} then answers at once).
   */
  private static Future<HttpClientResponse> declaring(HttpClient client, RunningHookcast hookcast, String uri, long length) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(hookcast.port())
        .setURI(uri).putHeader("Content-Length", String.valueOf(length)))
      .compose(request -> {
        request.write("a few bytes");
        return request.response();
      })
      .compose(response -> response.body().map(response));
  }

  private static JsonObject embeddedStore(Path dir) {
    return new JsonObject().put("path", dir.resolve("data").toString());
  }

  private RunningHookcast deploy(Vertx vertx, JsonObject store) throws Exception {
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()), Configs.backend("audit", audit.url()))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci").add("audit")).put("mode", "async"))
        .add(new JsonObject().put("path", "/sync").put("backends", new JsonArray().add("ci").add("audit")).put("mode", "sync")))
      .put("store", store)
      .put("delivery", new JsonObject().put("async", new JsonObject().put("schedule", new JsonArray().add("200ms").add("200ms"))));
    return RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
  }

  private static Future<HttpResponse<Buffer>> postWithSenderId(RunningHookcast hookcast, String senderId, String body) {
    return hookcast.client().request(HttpMethod.POST, "/github/push").putHeader("X-GitHub-Delivery", senderId)
      .sendBuffer(Buffer.buffer(body));
  }

  private static List<RecordingBackend.Received> deliveriesOf(RecordingBackend backend, String messageId) {
    return backend.received().stream().filter(r -> messageId.equals(r.headers().get("X-Hookcast-Message-Id"))).toList();
  }
}
