package io.hookcast.store;

import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durability promise on the built jar and its embedded store: every webhook answered 202 reaches every backend
 * of its route even when the process is killed with SIGKILL right after the last 202 and restarted on the same store.
 */
class AsyncKillIT {

  private static final int WEBHOOKS = 300;
  private static final long STARTUP_SECONDS = 90;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions(),
    new PoolOptions().setHttp1MaxSize(16));
  private HookcastProcess hookcast;

  @AfterEach
  void stop() throws Exception {
    if (hookcast != null) {
      hookcast.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyWebhookAnswered202ReachesEveryBackendAfterAKill9AndARestartOnTheSameStore(@TempDir Path dir) throws Exception {
    // Until the kill ci is slow and audit is down, so that most deliveries are still pending or under way at the kill.
    AtomicBoolean slow = new AtomicBoolean(true);
    RecordingBackend ci = RecordingBackend.start(vertx, (request, body) -> vertx.setTimer(slow.get() ? 1_000 : 1,
      id -> request.response().end("ci"))).await(10, TimeUnit.SECONDS);
    String auditUrl = Configs.unreachableUrl();
    int port = HookcastProcess.freePort();
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(
        Configs.backend("ci", ci.url(), 2_000), Configs.backend("audit", auditUrl, 2_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("routes", AsyncWebhooks.asyncRoute("/github", "ci", "audit"))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      // The default lease (60 s) is longer than the wait below: what the killed process had claimed must be made
      // due again when the embedded store is reopened, not when the lease runs out.
      .put("delivery", new JsonObject().put("async", new JsonObject().put("schedule", AsyncWebhooks.seconds(30))))
      .encodePrettily());

    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    List<String> ids = AsyncWebhooks.sendAccepted(client, port, "/github/push", "kill", WEBHOOKS, 16);
    hookcast.kill();
    slow.set(false);
    int deliveredBeforeTheKill = AsyncWebhooks.deliveriesById(ci).size();

    RecordingBackend audit = RecordingBackend.start(vertx, URI.create(auditUrl).getPort(),
        (request, body) -> request.response().end("audit"))
      .await(10, TimeUnit.SECONDS);
    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);

    assertEquals(WEBHOOKS, new HashSet<>(ids).size(), "message ids are not unique");
    for (RecordingBackend backend : List.of(ci, audit)) {
      Eventually.until(Duration.ofSeconds(50), () -> AsyncWebhooks.receivedAll(backend, ids),
        () -> AsyncWebhooks.missing(backend, ids));
      assertTrue(ids.containsAll(AsyncWebhooks.deliveriesById(backend).keySet()), "a delivery of a message never accepted");
    }
    System.out.printf("AsyncKillIT: %d webhooks answered 202; ci had received %d of them at the kill; duplicates after the restart: "
      + "ci %d, audit %d%n", WEBHOOKS, deliveredBeforeTheKill, AsyncWebhooks.duplicates(ci), AsyncWebhooks.duplicates(audit));
  }

  /**
   * At-least-once, but no more than that: a delivery is made again after a restart only when the killed process had
   * it under way (leased and not yet recorded), so the repeats are bounded by what was in flight at the kill, read
   * from the store file itself before the restart.
   */
  @Test
  void aKill9MidStreamRepeatsNoMoreDeliveriesThanWereInFlight(@TempDir Path dir) throws Exception {
    List<RecordingBackend> backends = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      backends.add(RecordingBackend.answeringAfter(vertx, 20, 200, "ok").await(10, TimeUnit.SECONDS));
    }
    int port = HookcastProcess.freePort();
    Path data = dir.resolve("data");
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(
        Configs.backend("one", backends.get(0).url(), 2_000), Configs.backend("two", backends.get(1).url(), 2_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("routes", AsyncWebhooks.asyncRoute("/stream", "one", "two"))
      .put("store", new JsonObject().put("path", data.toString()))
      .encodePrettily());
    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);

    // A steady stream from 16 senders; the kill lands in its middle, with deliveries under way.
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean sending = new AtomicBoolean(true);
    for (int sender = 0; sender < 16; sender++) {
      stream(port, accepted, sending);
    }
    Eventually.until(Duration.ofSeconds(30), () -> accepted.size() >= 2_000, () -> accepted.size() + " accepted");
    hookcast.kill();
    sending.set(false);
    long inFlight = leasedAt(data);
    List<String> ids = List.copyOf(accepted);

    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    long duplicates = 0;
    for (RecordingBackend backend : backends) {
      Eventually.until(Duration.ofSeconds(60), () -> AsyncWebhooks.receivedAll(backend, ids),
        () -> AsyncWebhooks.missing(backend, ids));
      duplicates += AsyncWebhooks.duplicates(backend);
    }
    System.out.printf("AsyncKillIT: %d webhooks answered 202 before the kill; %d deliveries in flight at the kill; %d repeated%n",
      ids.size(), inFlight, duplicates);
    assertTrue(inFlight > 0, "the kill found no delivery under way: it did not land mid-stream");
    assertTrue(duplicates <= inFlight, duplicates + " deliveries repeated, " + inFlight + " were in flight at the kill");
  }

  /** routes[].order keeps each key's order through a kill -9 in the middle of the stream and a restart. */
  @Test
  void orderedDeliveriesKeepEachKeysOrderAcrossAKill9AndARestart(@TempDir Path dir) throws Exception {
    int keys = 10;
    int perKey = 30;
    Map<String, List<Integer>> arrivals = new ConcurrentHashMap<>();
    RecordingBackend shop = RecordingBackend.start(vertx, (request, body) -> {
      JsonObject json = body.toJsonObject();
      arrivals.computeIfAbsent(json.getString("shop"), k -> Collections.synchronizedList(new ArrayList<>())).add(json.getInteger("n"));
      vertx.setTimer(20, id -> request.response().end("ok"));
    }).await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    JsonObject route = AsyncWebhooks.asyncRoute("/shopify", "shop").getJsonObject(0)
      .put("order", new JsonObject().put("key", new JsonObject().put("header", "X-Shopify-Shop-Domain")));
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(Configs.backend("shop", shop.url(), 2_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("routes", new JsonArray().add(route))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      .encodePrettily());
    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);

    // Each shop's webhooks are sent one after the other (the next once the previous is answered 202): the order of
    // acceptance is the order of n. The shops go in parallel.
    AtomicInteger accepted = new AtomicInteger();
    for (int k = 0; k < keys; k++) {
      sendInTurn(port, "shop-" + k, 0, perKey, accepted);
    }
    Eventually.until(Duration.ofSeconds(30), () -> arrivals.values().stream().mapToInt(List::size).sum() >= keys * perKey / 3,
      () -> arrivals.values().stream().mapToInt(List::size).sum() + " delivered");
    hookcast.kill();
    int acceptedAtTheKill = accepted.get();
    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    Eventually.until(Duration.ofSeconds(60), () -> accepted.get() == keys * perKey
        && arrivals.values().stream().allMatch(numbers -> Set.copyOf(numbers).size() == perKey),
      () -> accepted.get() + " accepted; delivered per shop: " + arrivals);

    for (Map.Entry<String, List<Integer>> shopArrivals : arrivals.entrySet()) {
      List<Integer> numbers = List.copyOf(shopArrivals.getValue());
      for (int i = 1; i < numbers.size(); i++) {
        // A repeat of the delivery under way at the kill is allowed; going back to an earlier one is not.
        assertTrue(numbers.get(i) >= numbers.get(i - 1), shopArrivals.getKey() + " out of order: " + numbers);
      }
    }
    System.out.printf("AsyncKillIT: %d of %d ordered webhooks accepted at the kill; every shop's deliveries in order%n",
      acceptedAtTheKill, keys * perKey);
  }

  /** Sends {@code shop}'s webhooks n = from..count-1, each once the one before was accepted; retries on a refusal (the kill). */
  private void sendInTurn(int port, String shop, int n, int count, AtomicInteger accepted) {
    if (n == count) {
      return;
    }
    client.post(port, "127.0.0.1", "/shopify/orders").putHeader("X-Shopify-Shop-Domain", shop)
      .sendJsonObject(new JsonObject().put("shop", shop).put("n", n))
      .onComplete(answer -> {
        if (answer.succeeded() && answer.result().statusCode() == 202) {
          accepted.incrementAndGet();
          sendInTurn(port, shop, n + 1, count, accepted);
        } else {
          vertx.setTimer(200, id -> sendInTurn(port, shop, n, count, accepted));
        }
      });
  }

  /** Sends webhooks one after the other until {@code sending} turns false, keeping the ids of those answered 202. */
  private void stream(int port, List<String> accepted, AtomicBoolean sending) {
    if (!sending.get()) {
      return;
    }
    client.post(port, "127.0.0.1", "/stream/push").sendBuffer(Buffer.buffer("{\"n\": " + accepted.size() + "}"))
      .onComplete(answer -> {
        if (answer.succeeded() && answer.result().statusCode() == 202) {
          accepted.add(answer.result().getHeader("X-Hookcast-Message-Id"));
        }
        if (answer.succeeded()) {
          stream(port, accepted, sending);
        }
      });
  }

  /** Deliveries the store holds as leased (under way): read from the killed process's file before Hookcast reopens it. */
  private static long leasedAt(Path data) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("hookcast.db"));
         ResultSet rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM deliveries WHERE status = 'delivering'")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
