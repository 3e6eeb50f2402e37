package io.hookcast.admin.api;

import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.recent.RecentSync;
import io.hookcast.schedule.BackendRates;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator API of a node running in the test's Vert.x, with a real embedded store and real backends on
 * 127.0.0.1, called over real HTTP with the node's token. The test thread waits; the node's event loops never do.
 */
@ExtendWith(VertxExtension.class)
class OperatorApiTest {

  private static final String TOKEN = "test-admin-token";
  private static final Duration DELIVERY = Duration.ofSeconds(30);
  /** Long enough for the API to be seen during the pause on a busy machine, short enough for the test to see it end. */
  private static final int PAUSE_S = 3;

  private RecordingBackend ci;
  /** Answers its first request 429 with a Retry-After of {@link #PAUSE_S}, then 200. */
  private RecordingBackend throttled;
  private final AtomicReference<Instant> throttledRetriedAt = new AtomicReference<>();
  /** Where the flaky backend comes back once its deliveries are dead. */
  private int flakyPort;
  private RunningHookcast hookcast;
  private AdminApi api;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    ci = RecordingBackend.answering(vertx, 200, "ci-ok").await(10, TimeUnit.SECONDS);
    AtomicInteger throttledRequests = new AtomicInteger();
    throttled = RecordingBackend.start(vertx, (request, body) -> {
      if (throttledRequests.incrementAndGet() == 1) {
        request.response().setStatusCode(429).putHeader("Retry-After", String.valueOf(PAUSE_S)).end("slow down");
      } else {
        throttledRetriedAt.compareAndSet(null, Instant.now());
        request.response().end("ok");
      }
    }).await(10, TimeUnit.SECONDS);
    String flakyUrl = Configs.unreachableUrl();
    flakyPort = URI.create(flakyUrl).getPort();
    JsonObject config = Configs.withBackends(
        Configs.backend("ci", ci.url()),
        // Attempted once, then not again for an hour: pending, for cancelling.
        Configs.backend("parked", Configs.unreachableUrl()).put("async", new JsonObject().put("schedule", new JsonArray().add("1h"))),
        // Dead after two quick attempts; its circuit never opens, so a bulk retry reaches it as soon as it is back.
        Configs.backend("flaky", flakyUrl).put("async", new JsonObject().put("schedule", new JsonArray().add("100ms")))
          .put("retry", new JsonObject().put("maxAttempts", 1))
          .put("circuitBreaker", new JsonObject().put("failureThreshold", 1000)),
        Configs.backend("down", Configs.unreachableUrl()).put("retry", new JsonObject().put("maxAttempts", 1)),
        // Retried 1 s after the 429, which the Retry-After lengthens to the end of the pause.
        Configs.backend("throttled", throttled.url()).put("rate", new JsonObject().put("perSecond", 50).put("burst", 5))
          .put("async", new JsonObject().put("schedule", new JsonArray().add("1s"))))
      .put("routes", new JsonArray()
        .add(route("/github", "async", "ci"))
        .add(route("/parked", "async", "parked"))
        .add(route("/flaky", "async", "flaky"))
        .add(route("/throttled", "async", "throttled"))
        .add(route("/sync", "sync", "ci", "down")))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      .put("admin", new JsonObject().put("port", 0).put("token", TOKEN).put("recentSync", 50));
    hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    api = new AdminApi(vertx, hookcast.adminPort(), TOKEN);
  }

  /** Closes the node (and its store) while the store's directory still exists. */
  @AfterEach
  void close(Vertx vertx) throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void everyApiCallNeedsTheTokenWhileHealthAndTheDashboardDoNot(Vertx vertx) throws Exception {
    for (AdminApi refused : List.of(new AdminApi(vertx, hookcast.adminPort(), null), new AdminApi(vertx, hookcast.adminPort(), "wrong-token"),
      new AdminApi(vertx, hookcast.adminPort(), TOKEN + "x"))) {
      for (String uri : List.of("/api/messages", "/api/sync", "/api/backends", "/api/openapi.json", "/api/no-such-thing")) {
        HttpResponse<Buffer> response = refused.get(uri);
        assertEquals(401, response.statusCode(), uri + ": " + response.bodyAsString());
        assertEquals("Bearer", response.getHeader("WWW-Authenticate"));
        assertNotNull(response.bodyAsJsonObject().getString("error"));
      }
      assertEquals(401, refused.post("/api/deliveries/retry", new JsonObject()).statusCode());
    }
    AdminApi anonymous = new AdminApi(vertx, hookcast.adminPort(), null);
    HttpResponse<Buffer> basic = anonymous.client().get("/api/messages").putHeader("Authorization", "Basic " + TOKEN).send()
      .await(10, TimeUnit.SECONDS);
    assertEquals(401, basic.statusCode(), "another scheme with the token");
    assertEquals(200, anonymous.get("/health").statusCode());
    assertEquals(200, anonymous.get("/ready").statusCode());
    assertTrue(anonymous.get("/index.html").statusCode() != 401, "the dashboard's files need no token");

    assertEquals(200, api.get("/api/messages").statusCode());
    JsonObject unknown = api.expect(404, api.get("/api/no-such-thing"));
    assertTrue(unknown.getString("error").contains("/api/no-such-thing"), unknown.encode());
    assertEquals(405, api.send(HttpMethod.DELETE, "/api/messages", null).statusCode());
  }

  @Test
  void messagesComeNewestFirstInPagesFilteredByRouteBackendAndStatus() throws Exception {
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.add(accepted(hookcast.post("/github/push?n=" + i, "body-" + i).await(10, TimeUnit.SECONDS)));
    }
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=ci&status=delivered") == 5, () -> ci.received().toString());

    List<JsonObject> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = api.expect(200, api.get("/api/messages?route=/github&limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      JsonArray messages = page.getJsonArray("messages");
      pageSizes.add(messages.size());
      messages.forEach(message -> seen.add((JsonObject) message));
      cursor = page.getString("nextCursor");
    } while (cursor != null && pageSizes.size() < 10);

    assertEquals(List.of(2, 2, 1), pageSizes);
    assertEquals(new TreeSet<>(sent), new TreeSet<>(seen.stream().map(m -> m.getString("id")).toList()));
    for (int i = 1; i < seen.size(); i++) {
      Instant newer = Instant.parse(seen.get(i - 1).getString("receivedAt"));
      Instant older = Instant.parse(seen.get(i).getString("receivedAt"));
      assertFalse(older.isAfter(newer), "not newest first: " + seen);
    }
    JsonObject last = seen.get(seen.size() - 1);
    assertEquals(sent.get(0), last.getString("id"), "the first sent is last");
    assertEquals("/github", last.getString("route"));
    assertEquals("POST", last.getString("method"));
    assertEquals("/github/push?n=<redacted>", last.getString("path"));
    assertEquals(6, last.getInteger("size"));
    assertTrue(last.containsKey("senderId") && last.getValue("senderId") == null, last.encode());
    JsonObject delivery = last.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("ci", delivery.getString("backend"));
    assertEquals("delivered", delivery.getString("status"));
    assertEquals(1, delivery.getInteger("attempts"));
    assertEquals(200, delivery.getInteger("lastStatus"));
    assertNull(delivery.getValue("lastError"));
    assertNull(delivery.getValue("nextAttemptAt"));

    assertEquals(0, count("/api/messages?backend=parked"));
    assertEquals(0, count("/api/messages?route=/parked"));
    assertEquals(0, count("/api/messages?backend=ci&status=dead"));
    assertEquals(5, count("/api/messages?since=" + Instant.now().minusSeconds(600) + "&until=" + (System.currentTimeMillis() + 60_000)));
    assertEquals(0, count("/api/messages?until=" + Instant.now().minusSeconds(600)));
  }

  @Test
  void aBadParameterIsA400NamingIt() throws Exception {
    for (String[] call : new String[][] {
      {"/api/messages?limit=0", "limit"}, {"/api/messages?limit=501", "limit"}, {"/api/messages?limit=ten", "limit"},
      {"/api/messages?status=lost", "status"}, {"/api/messages?since=yesterday", "since"}, {"/api/messages?until=12h", "until"},
      {"/api/messages?cursor=not-a-cursor", "cursor"}, {"/api/sync?limit=-1", "limit"}, {"/api/activity?minutes=61", "minutes"}}) {
      JsonObject error = api.expect(400, api.get(call[0]));
      assertTrue(error.getString("error").startsWith(call[1] + ":"), call[0] + " answered " + error.encode());
    }
    assertEquals("limit: expected a whole number from 1 to 500, got 'ten'",
      api.expect(400, api.get("/api/messages?limit=ten")).getString("error"));
    assertEquals("minutes: expected a whole number from 1 to 60, got '61'",
      api.expect(400, api.get("/api/activity?minutes=61")).getString("error"));
    assertEquals("status: expected one of pending|delivering|delivered|dead|cancelled, got 'lost'",
      api.expect(400, api.get("/api/messages?status=lost")).getString("error"));
    assertEquals("since: expected an ISO-8601 instant (2026-11-27T10:00:00Z) or epoch milliseconds, got 'yesterday'",
      api.expect(400, api.get("/api/messages?since=yesterday")).getString("error"));
    JsonObject unknownKey = api.expect(400, api.post("/api/deliveries/retry", new JsonObject().put("backend", "ci").put("state", "dead")));
    assertTrue(unknownKey.getString("error").contains("state"), unknownKey.encode());
    JsonObject badStatus = api.expect(400, api.post("/api/deliveries/retry", new JsonObject().put("status", "gone")));
    assertTrue(badStatus.getString("error").startsWith("status:"), badStatus.encode());
    JsonObject notText = api.expect(400, api.post("/api/deliveries/retry", new JsonObject().put("backend", 7)));
    assertEquals("backend: expected a string, got 7", notText.getString("error"));
    JsonObject badSince = api.expect(400, api.post("/api/deliveries/retry", new JsonObject().put("since", "soon")));
    assertTrue(badSince.getString("error").startsWith("since:"), badSince.encode());
    JsonObject notJson = api.expect(400, api.send(HttpMethod.POST, "/api/deliveries/retry", Buffer.buffer("backend=ci")));
    assertTrue(notJson.getString("error").startsWith("body:"), notJson.encode());
    JsonObject tooLarge = api.expect(413, api.post("/api/deliveries/retry", new JsonObject().put("backend", "x".repeat(17 * 1024))));
    assertEquals("body: larger than 16384 bytes", tooLarge.getString("error"));
  }

  @Test
  void anInstantBeyondEpochMillisecondsIsA400NamingIt() throws Exception {
    String range = "expected an instant from -292275055-05-16T16:47:04.192Z to +292278994-08-17T07:12:55.807Z, got ";
    // Instants Instant.parse reads, beyond what a long of milliseconds holds; %2B is a '+', which a bare '+' is not.
    assertEquals("since: " + range + "'+300000000-01-01T00:00:00Z'",
      api.expect(400, api.get("/api/messages?since=%2B300000000-01-01T00:00:00Z")).getString("error"));
    assertEquals("until: " + range + "'-300000000-01-01T00:00:00Z'",
      api.expect(400, api.get("/api/messages?until=-300000000-01-01T00:00:00Z")).getString("error"));
    assertEquals("since: " + range + "'+300000000-01-01T00:00:00Z'", api.expect(400, api.post("/api/deliveries/retry",
      new JsonObject().put("since", "+300000000-01-01T00:00:00Z"))).getString("error"));
    assertEquals("until: " + range + "'-300000000-01-01T00:00:00Z'", api.expect(400, api.post("/api/deliveries/retry",
      new JsonObject().put("until", "-300000000-01-01T00:00:00Z"))).getString("error"));
    assertEquals(200, api.get("/api/messages?since=%2B292278994-08-17T07:12:55.807Z").statusCode(), "the last instant held");
  }

  @Test
  void anArgumentThatIsNotValidPercentEncodingIsAJson400NamingIt() throws Exception {
    String encoding = "expected percent-encoding (%XX with hex digits), got ";
    HttpResponse<Buffer> route = api.get("/api/messages?route=%zz");
    assertEquals("route: " + encoding + "'%zz'", api.expect(400, route).getString("error"));
    assertEquals("application/json", route.getHeader("Content-Type"));
    assertEquals("backend: " + encoding + "'ci%2'", api.expect(400, api.post("/api/messages/some-id/retry?backend=ci%2")).getString("error"));
    assertEquals("the query string is not valid percent-encoding (%XX with hex digits): 'limit=5&b%zzckend=ci'",
      api.expect(400, api.get("/api/messages?limit=5&b%zzckend=ci")).getString("error"));
    assertEquals("the path is not valid percent-encoding (%XX with hex digits): '/api/messages/%zz'",
      api.expect(400, api.get("/api/messages/%zz")).getString("error"));
    assertEquals("x: " + encoding + "'%'", api.expect(400, api.get("/health?x=%")).getString("error"), "the whole listener");
  }

  @Test
  void aControlCharacterInATextArgumentIsA400NamingIt() throws Exception {
    String expected = ": expected text without control characters, got ";
    assertEquals("id" + expected + "'\u0000'", api.expect(400, api.get("/api/messages/%00")).getString("error"));
    assertEquals("id" + expected + "'a\nb'", api.expect(400, api.post("/api/messages/a%0Ab/retry")).getString("error"));
    assertEquals("id" + expected + "'\u0000'", api.expect(400, api.post("/api/messages/%00/cancel")).getString("error"));
    for (String[] call : new String[][] {
      {"/api/messages?sender=gh%00", "sender"}, {"/api/messages?route=/github%1F", "route"}, {"/api/messages?backend=ci%7F", "backend"},
      {"/api/messages?cursor=%C2%85", "cursor"}, {"/api/sync?route=%09", "route"}}) {
      JsonObject error = api.expect(400, api.get(call[0]));
      assertTrue(error.getString("error").startsWith(call[1] + expected), call[0] + " answered " + error.encode());
    }
    assertEquals("backend" + expected + "'ci\u0000'",
      api.expect(400, api.post("/api/deliveries/retry", new JsonObject().put("backend", "ci\u0000"))).getString("error"));
    assertEquals(404, api.get("/api/messages/caf%C3%A9").statusCode(), "other text is looked up");
  }

  @Test
  void aQueryParameterARetryOrCancelDoesNotTakeIsA400NamingItAndNothingChanges() throws Exception {
    String dead = accepted(hookcast.post("/flaky/event", "dead").await(10, TimeUnit.SECONDS));
    String parked = accepted(hookcast.post("/parked/x", "wait").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=flaky&status=dead") == 1
      && delivery(parked).getInteger("attempts") == 1 && delivery(parked).getString("status").equals("pending"),
      () -> "messages " + messages("/api/messages"));

    // The single-message calls take ?backend=; the bulk one takes its filter from its body only.
    assertEquals("backend: not a parameter of this call (it takes its arguments as a JSON body: backend, route, status, since, until)",
      api.expect(400, api.post("/api/deliveries/retry?backend=flaky")).getString("error"));
    assertEquals("backnd: not a parameter of this call (its parameters: backend)",
      api.expect(400, api.post("/api/messages/" + parked + "/cancel?backnd=parked")).getString("error"));
    assertEquals("Backend: not a parameter of this call (its parameters: backend)",
      api.expect(400, api.post("/api/messages/" + dead + "/retry?Backend=flaky")).getString("error"));
    assertEquals("backend: given 2 times; this call takes it once",
      api.expect(400, api.post("/api/messages/" + dead + "/retry?backend=flaky&backend=ci")).getString("error"));
    assertEquals("id, x: not parameters of this call (its parameters: backend)",
      api.expect(400, api.post("/api/messages/" + dead + "/retry?x=1&id=" + dead)).getString("error"));

    assertEquals("backend: null; send a value or leave the key out",
      api.expect(400, api.post("/api/deliveries/retry", new JsonObject().putNull("backend").put("status", "dead"))).getString("error"));
    assertEquals("dead", delivery(dead).getString("status"));
    assertEquals(2, delivery(dead).getInteger("attempts"), "not retried");
    assertEquals("pending", delivery(parked).getString("status"), "not cancelled");
  }

  @Test
  void anEmptyFilterIsA400NamingItWhileAnEmptyLimitTakesItsDefault() throws Exception {
    String dead = accepted(hookcast.post("/flaky/event", "dead").await(10, TimeUnit.SECONDS));
    String parked = accepted(hookcast.post("/parked/x", "wait").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=flaky&status=dead") == 1
      && delivery(parked).getInteger("attempts") == 1 && delivery(parked).getString("status").equals("pending"),
      () -> "messages " + messages("/api/messages"));

    // As a script sends ?backend=$B with B unset.
    assertEquals("backend: empty; send a value or leave the parameter out",
      api.expect(400, api.post("/api/messages/" + dead + "/retry?backend=")).getString("error"));
    assertEquals("backend: empty; send a value or leave the parameter out",
      api.expect(400, api.post("/api/messages/" + parked + "/cancel?backend")).getString("error"));
    for (String[] call : new String[][] {
      {"/api/messages?status=", "status"}, {"/api/messages?route=", "route"}, {"/api/messages?backend=", "backend"},
      {"/api/messages?sender=", "sender"}, {"/api/messages?since=", "since"}, {"/api/messages?until=", "until"},
      {"/api/messages?cursor=", "cursor"}, {"/api/sync?route=", "route"}, {"/api/sync?backend=", "backend"}}) {
      assertEquals(call[1] + ": empty; send a value or leave the parameter out", api.expect(400, api.get(call[0])).getString("error"), call[0]);
    }
    assertEquals("dead", delivery(dead).getString("status"));
    assertEquals(2, delivery(dead).getInteger("attempts"), "not retried");
    assertEquals("pending", delivery(parked).getString("status"), "not cancelled");

    assertEquals(2, api.expect(200, api.get("/api/messages?limit=")).getJsonArray("messages").size());
    assertEquals(60, api.expect(200, api.get("/api/activity?minutes=")).getJsonArray("minutes").size());
    assertEquals(200, api.get("/api/sync?limit=").statusCode());
  }

  @Test
  void aBulkRetryWhoseBodyIsNotJsonIsA415AndNothingIsRetried() throws Exception {
    String dead = accepted(hookcast.post("/flaky/event", "dead").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=flaky&status=dead") == 1, () -> "messages " + messages("/api/messages"));

    // curl -F backend=flaky -F status=dead: a body vertx-web's BodyHandler does not keep.
    HttpResponse<Buffer> multipart = api.request(HttpMethod.POST, "/api/deliveries/retry")
      .sendMultipartForm(MultipartForm.create().attribute("backend", "flaky").attribute("status", "dead")).await(30, TimeUnit.SECONDS);
    assertEquals("body: expected Content-Type application/json, got multipart/form-data", api.expect(415, multipart).getString("error"));
    HttpResponse<Buffer> form = api.request(HttpMethod.POST, "/api/deliveries/retry")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("backend", "flaky")).await(30, TimeUnit.SECONDS);
    assertEquals("body: expected Content-Type application/json, got application/x-www-form-urlencoded",
      api.expect(415, form).getString("error"));
    for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/jsonp", "")) {
      HttpResponse<Buffer> labelled = api.request(HttpMethod.POST, "/api/deliveries/retry").putHeader("Content-Type", type)
        .sendBuffer(Buffer.buffer("{\"backend\":\"flaky\"}")).await(30, TimeUnit.SECONDS);
      assertTrue(api.expect(415, labelled).getString("error").startsWith("body: expected Content-Type application/json, got "), type);
    }
    // Bodies the form decoders cannot read: refused for their type before they are read, not for what they hold.
    for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data")) {
      HttpResponse<Buffer> undecodable = api.request(HttpMethod.POST, "/api/deliveries/retry").putHeader("Content-Type", type)
        .sendBuffer(Buffer.buffer("backend=%zz")).await(30, TimeUnit.SECONDS);
      assertEquals("body: expected Content-Type application/json, got " + type, api.expect(415, undecodable).getString("error"));
    }
    assertEquals("dead", delivery(dead).getString("status"));
    assertEquals(2, delivery(dead).getInteger("attempts"), "not retried");

    for (String type : List.of("application/json", "Application/JSON; charset=utf-8")) {
      HttpResponse<Buffer> json = api.request(HttpMethod.POST, "/api/deliveries/retry").putHeader("Content-Type", type)
        .sendBuffer(Buffer.buffer("{\"backend\":\"nobody\"}")).await(30, TimeUnit.SECONDS);
      assertEquals(new JsonObject().put("queued", 0), api.expect(202, json), type);
    }
    JsonObject responses = api.expect(200, api.get("/api/openapi.json")).getJsonObject("paths").getJsonObject("/api/deliveries/retry")
      .getJsonObject("post").getJsonObject("responses");
    assertTrue(responses.containsKey("415") && responses.containsKey("413"), responses.fieldNames().toString());
  }

  @Test
  void aRetryOrCancelSentWithABodyIsA400SinceItsBackendGoesInTheQuery() throws Exception {
    String dead = accepted(hookcast.post("/flaky/event", "dead").await(10, TimeUnit.SECONDS));
    String parked = accepted(hookcast.post("/parked/x", "wait").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=flaky&status=dead") == 1
      && delivery(parked).getInteger("attempts") == 1 && delivery(parked).getString("status").equals("pending"),
      () -> "messages " + messages("/api/messages"));

    // As the bulk retry takes its filter: curl -F backend=flaky, curl -d backend=parked, a JSON body.
    HttpResponse<Buffer> multipart = api.request(HttpMethod.POST, "/api/messages/" + dead + "/retry")
      .sendMultipartForm(MultipartForm.create().attribute("backend", "flaky")).await(30, TimeUnit.SECONDS);
    assertEquals("body: this call takes none; its parameters go in the query: backend", api.expect(400, multipart).getString("error"));
    HttpResponse<Buffer> form = api.request(HttpMethod.POST, "/api/messages/" + parked + "/cancel")
      .sendForm(MultiMap.caseInsensitiveMultiMap().add("backend", "parked")).await(30, TimeUnit.SECONDS);
    assertEquals("body: this call takes none; its parameters go in the query: backend", api.expect(400, form).getString("error"));
    assertEquals("body: this call takes none; its parameters go in the query: backend",
      api.expect(400, api.post("/api/messages/" + dead + "/retry", new JsonObject().put("backend", "flaky"))).getString("error"));
    assertEquals("body: this call takes none",
      api.expect(400, api.send(HttpMethod.GET, "/api/messages/" + dead, Buffer.buffer("{}"))).getString("error"));

    assertEquals("dead", delivery(dead).getString("status"));
    assertEquals(2, delivery(dead).getInteger("attempts"), "not retried");
    assertEquals("pending", delivery(parked).getString("status"), "not cancelled");
  }

  @Test
  void everyCallRefusesAQueryParameterItDoesNotTakeAsItsDocumentSays() throws Exception {
    JsonObject paths = api.expect(200, api.get("/api/openapi.json")).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        JsonObject operation = paths.getJsonObject(path).getJsonObject(method);
        HttpMethod httpMethod = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        String call = method + " " + path;
        JsonObject error = api.expect(400, api.send(httpMethod, path.replace("{id}", "some-id") + "?nope=1", null));
        assertTrue(error.getString("error").startsWith("nope: not a parameter of this call ("), call + ": " + error.encode());
        assertTrue(operation.getJsonObject("responses").containsKey("400"), call + " answers an undocumented 400");
      }
    }
  }

  @Test
  void aMessageShowsItsHeadersBodyAndEveryAttemptAndAnUnknownIdIs404() throws Exception {
    String id = accepted(hookcast.client().post("/github/push").putHeader("X-Test", "yes").putHeader("X-GitHub-Delivery", "gh-1")
      .sendBuffer(Buffer.buffer("{\"zen\":\"é\"}")).await(10, TimeUnit.SECONDS));
    byte[] binary = {(byte) 0xff, 0, (byte) 0xfe, 1};
    String binaryId = accepted(hookcast.post("/github/bin", Buffer.buffer(binary)).await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=ci&status=delivered") == 2, () -> ci.received().toString());

    JsonObject message = api.expect(200, api.get("/api/messages/" + id));
    assertEquals(id, message.getString("id"));
    assertEquals("gh-1", message.getString("senderId"));
    assertEquals("{\"zen\":\"é\"}", message.getString("body"));
    assertEquals("text", message.getString("bodyEncoding"));
    assertEquals(false, message.getBoolean("bodyTruncated"));
    assertTrue(message.getJsonArray("headers").contains(new JsonArray().add("X-Test").add("yes")), message.getJsonArray("headers").encode());
    JsonObject delivery = message.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("ci", delivery.getString("backend"));
    assertEquals("delivered", delivery.getString("status"));
    JsonObject attempt = delivery.getJsonArray("attemptHistory").getJsonObject(0);
    assertEquals(1, attempt.getInteger("attempt"));
    assertNotNull(Instant.parse(attempt.getString("startedAt")));
    assertTrue(attempt.getLong("durationMs") >= 0);
    assertEquals(200, attempt.getInteger("status"));
    assertEquals("delivered", attempt.getString("outcome"));
    assertNull(attempt.getValue("error"));
    assertEquals("ci-ok", attempt.getString("responseHead"));
    assertNotNull(attempt.getString("node"));
    assertEquals(false, attempt.getBoolean("manual"));
    assertTrue(attempt.containsKey("traceId"));
    assertNull(attempt.getValue("traceId"), "accepted with tracing off: no trace to go to");

    JsonObject binaryMessage = api.expect(200, api.get("/api/messages/" + binaryId));
    assertEquals("base64", binaryMessage.getString("bodyEncoding"));
    assertEquals("/wD+AQ==", binaryMessage.getString("body"));

    assertEquals("no message nope", api.expect(404, api.get("/api/messages/nope")).getString("error"));
    assertEquals(404, api.post("/api/messages/nope/retry").statusCode());
    assertEquals(404, api.post("/api/messages/nope/cancel").statusCode());
  }

  @Test
  void credentialsAreShownRedactedWhileTheBackendGetsThem() throws Exception {
    String id = accepted(hookcast.client().post("/github/secret?token=t0ken").putHeader("Authorization", "Bearer s3cret")
      .putHeader("Cookie", "session=abc").putHeader("X-Test", "shown").sendBuffer(Buffer.buffer("{}")).await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> received(ci, id).size() == 1, () -> ci.received().toString());

    JsonArray headers = api.expect(200, api.get("/api/messages/" + id)).getJsonArray("headers");
    assertTrue(headers.contains(new JsonArray().add("Authorization").add("<redacted>")), headers.encode());
    assertTrue(headers.contains(new JsonArray().add("Cookie").add("<redacted>")), headers.encode());
    assertTrue(headers.contains(new JsonArray().add("X-Test").add("shown")), headers.encode());
    assertFalse(headers.encode().contains("s3cret") || headers.encode().contains("session=abc"), headers.encode());
    assertEquals("Bearer s3cret", received(ci, id).get(0).headers().get("Authorization"));
    assertEquals("session=abc", received(ci, id).get(0).headers().get("Cookie"));
    // A token in the query, as the webhook log shows it.
    assertEquals("/github/secret?token=<redacted>", api.expect(200, api.get("/api/messages/" + id)).getString("path"));
    assertEquals("/github/secret?token=<redacted>", api.expect(200, api.get("/api/messages?route=/github")).getJsonArray("messages")
      .getJsonObject(0).getString("path"));
    assertEquals("/github/secret?token=t0ken", received(ci, id).get(0).uri());
  }

  @Test
  void retryingADeliveredMessageDeliversItAgainAsAManualAttempt() throws Exception {
    String id = accepted(hookcast.post("/github/push", "again").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> received(ci, id).size() == 1 && count("/api/messages?status=delivered") == 1, () -> ci.received().toString());

    JsonObject retried = api.expect(202, api.post("/api/messages/" + id + "/retry"));
    assertEquals(new JsonObject().put("id", id).put("queued", 1), retried);

    Eventually.until(DELIVERY, () -> received(ci, id).size() == 2, () -> ci.received().toString());
    assertEquals("2", received(ci, id).get(1).headers().get("X-Hookcast-Attempt"));
    Eventually.until(DELIVERY, () -> history(id).size() == 2, () -> "history " + history(id));
    JsonObject second = history(id).getJsonObject(1);
    assertEquals(2, second.getInteger("attempt"));
    assertEquals(true, second.getBoolean("manual"));
    assertEquals("delivered", second.getString("outcome"));
    assertEquals(false, history(id).getJsonObject(0).getBoolean("manual"));

    assertEquals(202, api.post("/api/messages/" + id + "/retry?backend=ci").statusCode());
    JsonObject noSuchBackend = api.expect(404, api.post("/api/messages/" + id + "/retry?backend=billing"));
    assertTrue(noSuchBackend.getString("error").contains("billing"), noSuchBackend.encode());
  }

  @Test
  void cancellingStopsAPendingDelivery() throws Exception {
    String id = accepted(hookcast.post("/parked/x", "wait").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> {
      JsonObject delivery = delivery(id);
      return delivery.getInteger("attempts") == 1 && delivery.getString("status").equals("pending");
    }, () -> "delivery " + delivery(id));
    assertNotNull(delivery(id).getString("nextAttemptAt"));

    JsonObject cancelled = api.expect(200, api.post("/api/messages/" + id + "/cancel?backend=parked"));
    assertEquals(new JsonObject().put("id", id).put("cancelled", 1), cancelled);
    assertEquals("cancelled", delivery(id).getString("status"));
    assertEquals(1, count("/api/messages?status=cancelled"));
    assertEquals(new JsonObject().put("id", id).put("cancelled", 0), api.expect(200, api.post("/api/messages/" + id + "/cancel")));
  }

  @Test
  void aBulkRetryOfDeadDeliveriesReachesABackendThatCameBack(Vertx vertx) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(accepted(hookcast.post("/flaky/event", "flaky-" + i).await(10, TimeUnit.SECONDS)));
    }
    accepted(hookcast.post("/github/push", "not dead").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=flaky&status=dead") == 3, () -> "messages " + messages("/api/messages"));

    RecordingBackend flaky = RecordingBackend.start(vertx, flakyPort, (request, body) -> request.response().end("back")).await(10, TimeUnit.SECONDS);
    JsonObject queued = api.expect(202, api.post("/api/deliveries/retry", new JsonObject().put("backend", "flaky")
      .put("since", Instant.now().minusSeconds(600).toString())));
    assertEquals(new JsonObject().put("queued", 3), queued);

    Eventually.until(DELIVERY, () -> ids.stream().allMatch(id -> received(flaky, id).size() == 1), () -> flaky.received().toString());
    for (String id : ids) {
      assertEquals("3", received(flaky, id).get(0).headers().get("X-Hookcast-Attempt"));
    }
    Eventually.until(DELIVERY, () -> count("/api/messages?backend=flaky&status=delivered") == 3, () -> "messages " + messages("/api/messages"));
    assertEquals(new JsonObject().put("queued", 0), api.expect(202, api.post("/api/deliveries/retry", new JsonObject().put("backend", "flaky")
      .put("until", System.currentTimeMillis() + 60_000))), "nothing is dead any more (until: epoch milliseconds as a JSON number)");
  }

  @Test
  void theSyncRingShowsASyncWebhookWithEachBackendsOutcome() throws Exception {
    HttpResponse<Buffer> answer = hookcast.post("/sync/deploy?env=prod", "sync-body").await(10, TimeUnit.SECONDS);
    String requestId = ci.received().stream().filter(r -> r.uri().equals("/sync/deploy?env=prod")).findFirst().orElseThrow()
      .headers().get("X-Request-Id");

    JsonObject ring = api.expect(200, api.get("/api/sync"));
    assertEquals(50, ring.getInteger("capacity"));
    JsonObject webhook = ring.getJsonArray("webhooks").getJsonObject(0);
    assertNotNull(requestId);
    assertEquals(requestId, webhook.getString("id"), "the id the backends saw");
    assertEquals("/sync", webhook.getString("route"));
    assertEquals("POST", webhook.getString("method"));
    assertEquals("/sync/deploy?env=<redacted>", webhook.getString("path"), "as the webhook log shows it");
    assertEquals(9, webhook.getInteger("size"));
    assertEquals(answer.statusCode(), webhook.getInteger("status"));
    assertTrue(Duration.between(Instant.parse(webhook.getString("receivedAt")), Instant.now()).abs().toMinutes() < 5);
    JsonObject ciOutcome = webhook.getJsonArray("deliveries").getJsonObject(0);
    assertEquals("ci", ciOutcome.getString("backend"));
    assertEquals(200, ciOutcome.getInteger("status"));
    assertEquals("delivered", ciOutcome.getString("outcome"));
    assertEquals(1, ciOutcome.getInteger("attempts"));
    assertNotNull(ciOutcome.getString("node"));
    JsonObject downOutcome = webhook.getJsonArray("deliveries").getJsonObject(1);
    assertEquals("down", downOutcome.getString("backend"));
    assertEquals("unreachable", downOutcome.getString("outcome"));
    assertEquals(502, downOutcome.getInteger("status"));
    assertNotNull(downOutcome.getString("error"));

    assertEquals(1, api.expect(200, api.get("/api/sync?backend=down")).getJsonArray("webhooks").size());
    assertEquals(0, api.expect(200, api.get("/api/sync?route=/github")).getJsonArray("webhooks").size());
    hookcast.post("/sync/second", "2").await(10, TimeUnit.SECONDS);
    JsonArray newest = api.expect(200, api.get("/api/sync?limit=1")).getJsonArray("webhooks");
    assertEquals(1, newest.size());
    assertEquals("/sync/second", newest.getJsonObject(0).getString("path"));    // Built off the event loop, the same listing.
    assertEquals(api.expect(200, api.get("/api/sync")), api.expect(200, api.get("/api/sync?limit=100000")));
  }

  @Test
  void backendsAndActivityJoinStoredAttemptsAndThisNodesSyncDeliveries() throws Exception {
    hookcast.post("/sync/one", "s").await(10, TimeUnit.SECONDS);
    String asyncId = accepted(hookcast.post("/github/one", "a").await(10, TimeUnit.SECONDS));
    String parkedId = accepted(hookcast.post("/parked/one", "p").await(10, TimeUnit.SECONDS));
    Eventually.until(DELIVERY, () -> received(ci, asyncId).size() == 1 && delivery(parkedId).getInteger("attempts") == 1
      // The attempt counts from its claim; "pending" again means its failure is recorded.
      && delivery(parkedId).getString("status").equals("pending")
      && !delivery(asyncId).getString("status").equals("delivering"), () -> "parked " + delivery(parkedId));

    JsonArray backends = api.expect(200, api.get("/api/backends")).getJsonArray("backends");
    JsonObject ciHealth = byName(backends, "ci");
    assertEquals(new JsonArray().add("async").add("sync"), ciHealth.getJsonArray("mode"));
    assertEquals(new JsonArray().add("closed"), ciHealth.getJsonArray("circuit"));
    assertEquals(0, ciHealth.getInteger("pending"));
    assertNull(ciHealth.getValue("oldestPendingAgeMs"));
    assertEquals(new JsonObject().put("delivered", 2).put("failed", 0).put("successRate", 1.0), ciHealth.getJsonObject("lastHour"));
    JsonObject parked = byName(backends, "parked");
    assertEquals(new JsonArray().add("async"), parked.getJsonArray("mode"));
    assertEquals(1, parked.getInteger("pending"));
    assertTrue(parked.getLong("oldestPendingAgeMs") >= 0, parked.encode());
    assertEquals(new JsonObject().put("delivered", 0).put("failed", 1).put("successRate", 0.0), parked.getJsonObject("lastHour"));
    JsonObject down = byName(backends, "down");
    assertEquals(new JsonArray().add("sync"), down.getJsonArray("mode"));
    assertEquals(1, down.getJsonObject("lastHour").getInteger("failed"));
    assertFalse(ciHealth.containsKey("rate"), "ci has no rate: " + ciHealth.encode());
    assertEquals(5, backends.size());

    JsonArray minutes = api.expect(200, api.get("/api/activity?minutes=3")).getJsonArray("minutes");
    assertEquals(3, minutes.size());
    long delivered = 0;
    long failed = 0;
    for (int i = 0; i < minutes.size(); i++) {
      JsonObject minute = minutes.getJsonObject(i);
      Instant start = Instant.parse(minute.getString("minute"));
      assertEquals(0, start.toEpochMilli() % 60_000, minute.encode());
      if (i > 0) {
        assertEquals(Instant.parse(minutes.getJsonObject(i - 1).getString("minute")).plusSeconds(60), start, "oldest first");
      }
      delivered += minute.getLong("delivered");
      failed += minute.getLong("failed");
    }
    assertEquals(2, delivered, minutes.encode());
    assertEquals(2, failed, minutes.encode());
    assertEquals(60, api.expect(200, api.get("/api/activity")).getJsonArray("minutes").size());
  }

  @Test
  void aBackendThatPushedBackShowsItsLoweredRateWhyAndItsPauseUntilItClimbsBack() throws Exception {
    assertEquals(new JsonObject().put("perSecond", 50).put("current", 50.0).put("reason", "configured"), rate("throttled"),
      "before any delivery");

    Instant sent = Instant.now();
    String id = accepted(hookcast.post("/throttled/x", "too fast").await(10, TimeUnit.SECONDS));
    JsonObject[] paused = new JsonObject[1];
    Eventually.until(DELIVERY, () -> {
      paused[0] = rate("throttled");
      return paused[0].containsKey("pausedUntil");
    }, () -> "rate " + paused[0] + ", received " + throttled.received());
    assertEquals(25.0, paused[0].getDouble("current"), paused[0].encode());
    assertEquals(50, paused[0].getInteger("perSecond"));
    assertEquals("it answered 429 with Retry-After", paused[0].getString("reason"));
    Instant until = Instant.parse(paused[0].getString("pausedUntil"));
    assertTrue(!until.isBefore(sent.plusSeconds(PAUSE_S)) && until.isBefore(Instant.now().plusSeconds(PAUSE_S + 1)),
      "paused for the Retry-After: until " + until + ", sent at " + sent);

    // The retry waits out the pause; its delivery raises the rate by a twentieth of 50/s.
    Eventually.until(DELIVERY, () -> received(throttled, id).size() == 2 && !rate("throttled").containsKey("pausedUntil")
      && rate("throttled").getDouble("current") > 25, () -> "rate " + rate("throttled") + ", received " + throttled.received());
    assertEquals(new JsonObject().put("perSecond", 50).put("current", 27.5).put("reason", "it answered 429 with Retry-After"),
      rate("throttled"), "after the pause, climbing back");
    assertFalse(throttledRetriedAt.get().isBefore(until), "retried at " + throttledRetriedAt.get() + ", paused until " + until);
  }

  @Test
  void theOpenApiDocumentDescribesExactlyTheRoutesServed(Vertx vertx) throws Exception {
    String id = accepted(hookcast.post("/github/doc", "doc").await(10, TimeUnit.SECONDS));
    JsonObject document = api.expect(200, api.get("/api/openapi.json"));
    assertEquals("3.1.0", document.getString("openapi"));

    Set<String> documented = new HashSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
        HttpMethod httpMethod = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
        Buffer body = paths.getJsonObject(path).getJsonObject(method).containsKey("requestBody") ? Buffer.buffer("{}") : null;
        HttpResponse<Buffer> response = api.send(httpMethod, path.replace("{id}", id), body);
        assertTrue(response.statusCode() != 404 && response.statusCode() != 405,
          method + " " + path + " answered " + response.statusCode() + ": " + response.bodyAsString());
        assertTrue(paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses")
          .containsKey(String.valueOf(response.statusCode())), method + " " + path + " answered an undocumented " + response.statusCode());
      }
    }

    // Routes come from the document; one added beside it by hand would be served without being documented.
    Router router = Router.router(vertx);
    HookcastConfig config = HookcastConfig.fromJson(Configs.withBackends(Configs.backend("ci", ci.url())), java.util.Map.of());
    OperatorApi.create(vertx, () -> config, null, null, new RecentSync(config.admin().recentSync()), new ForwarderRegistry(),
      new BackendRates())
      .await(10, TimeUnit.SECONDS).mount(router);
    List<String> byHand = new ArrayList<>();
    for (Route route : router.getRoutes()) {
      if (route.getPath() != null && route.getPath().startsWith("/api/") && route.methods() != null) {
        byHand.add(route.methods() + " " + route.getPath());
      }
    }
    assertEquals(List.of(), byHand);
    assertEquals(DeliveryOperations.MAX_PAGE, paths.getJsonObject("/api/messages").getJsonObject("get").getJsonArray("parameters")
      .stream().map(JsonObject.class::cast).filter(parameter -> parameter.getString("name").equals("limit")).findFirst()
      .orElseThrow().getJsonObject("schema").getInteger("maximum"), "the document allows the pages the store serves");
  }

  private static JsonObject route(String path, String mode, String... backends) {
    return new JsonObject().put("path", path).put("mode", mode).put("backends", new JsonArray(List.of((Object[]) backends)));
  }

  private static String accepted(HttpResponse<Buffer> response) {
    if (response.statusCode() != 202) {
      throw new AssertionError("not accepted: " + response.statusCode() + " " + response.bodyAsString());
    }
    return response.getHeader("X-Hookcast-Message-Id");
  }

  private JsonArray messages(String uri) {
    try {
      return api.expect(200, api.get(uri)).getJsonArray("messages");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private int count(String uri) {
    return messages(uri).size();
  }

  private JsonObject delivery(String id) {
    try {
      return api.expect(200, api.get("/api/messages/" + id)).getJsonArray("deliveries").getJsonObject(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private JsonArray history(String id) {
    return delivery(id).getJsonArray("attemptHistory");
  }

  private static List<RecordingBackend.Received> received(RecordingBackend backend, String messageId) {
    return backend.received().stream().filter(r -> messageId.equals(r.headers().get("X-Hookcast-Message-Id"))).toList();
  }

  private JsonObject rate(String backend) {
    try {
      JsonObject health = byName(api.expect(200, api.get("/api/backends")).getJsonArray("backends"), backend);
      return health.getJsonObject("rate");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JsonObject byName(JsonArray backends, String name) {
    return backends.stream().map(JsonObject.class::cast).filter(b -> b.getString("name").equals(name)).findFirst()
      .orElseThrow(() -> new AssertionError("no backend " + name + " in " + backends.encode()));
  }
}
