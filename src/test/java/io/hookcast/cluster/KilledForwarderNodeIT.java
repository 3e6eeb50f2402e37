package io.hookcast.cluster;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.LocalCluster;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three clustered jar processes on 127.0.0.1: node s takes webhooks for an async route (its scheduler hands each
 * delivery to the backend's forwarders), f1 and f2 only forward, to one real backend. f1 is killed with SIGKILL and
 * webhooks arrive at once, async and sync, while s still chooses f1 for some of its hand-offs (it does until the
 * cluster drops f1): their writes fail, as nothing listens on f1's port any more.
 */
class KilledForwarderNodeIT {

  private static final int WEBHOOKS = 20;
  /** Three JVMs starting at once, on a machine other builds share. */
  private static final long STARTUP_SECONDS = 180;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions(),
    new PoolOptions().setHttp1MaxSize(WEBHOOKS));
  private final LocalCluster cluster = new LocalCluster(3);
  private Postgres postgres;

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    if (postgres != null) {
      postgres.stop();
    }
  }

  @Test
  void aHandOffToAKilledForwarderNodeIsNotAnAttemptAndGoesToTheOtherNodeAtOnceAsyncOrSync(@TempDir Path dir) throws Exception {
    postgres = Postgres.start();
    StoreConfig store = postgres.freshDatabase();
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
    // The default timeoutMs (10 s) and schedule (5 s, 5 min, ...): a hand-off left to time out costs 11 s and a retry.
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(Configs.backend("ci", backend.url()))
      .put("routes", AsyncWebhooks.asyncRoute("/github", "ci").add(new JsonObject().put("path", "/sync")
        .put("backends", new JsonArray().add("ci"))))
      .encodePrettily());
    int ingressPort = HookcastProcess.freePort();
    int adminPort = HookcastProcess.freePort();
    Map<String, String> ingress = new HashMap<>(LocalCluster.storeVariables(store));
    ingress.put("HOOKCAST_ROLES", "ingress");
    HookcastProcess s = cluster.start("s", 0, ingressPort, adminPort, ingress, config);
    HookcastProcess f1 = cluster.start("f1", 1, HookcastProcess.freePort(), HookcastProcess.freePort(),
      Map.of("HOOKCAST_ROLES", "forwarder"), config);
    HookcastProcess f2 = cluster.start("f2", 2, HookcastProcess.freePort(), HookcastProcess.freePort(),
      Map.of("HOOKCAST_ROLES", "forwarder"), config);
    for (HookcastProcess node : List.of(s, f1, f2)) {
      node.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    }
    s.awaitLine("Members {size:3", STARTUP_SECONDS, TimeUnit.SECONDS);

    // s hands deliveries to both forwarder nodes before one dies (so it knows f1 as a forwarder, and is connected to it).
    Set<String> forwardedBy = new TreeSet<>();
    long warmUpDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    for (int round = 0; !forwardedBy.containsAll(Set.of("f1", "f2")); round++) {
      assertTrue(System.nanoTime() < warmUpDeadline, "s did not hand deliveries to both f1 and f2: only " + forwardedBy);
      List<String> ids = AsyncWebhooks.sendAccepted(client, ingressPort, "/github/push", "warm-up-" + round, 10, 10);
      for (JsonObject message : delivered(adminPort, ids, Duration.ofSeconds(60)).values()) {
        forwardedBy.add(attempts(message).getJsonObject(0).getString("node"));
      }
    }

    f1.kill();
    long start = System.nanoTime();
    // Sync webhooks at the same moment: a hand-off whose write to f1 failed goes to f2 at once, not to a 504 at the deadline.
    List<Future<Long>> syncAnswers = IntStream.range(0, WEBHOOKS).mapToObj(i -> client.post(ingressPort, "127.0.0.1", "/sync")
      .sendBuffer(Buffer.buffer("sync-after-kill-" + i)).map(response -> {
        assertEquals(200, response.statusCode(), response.bodyAsString());
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      })).toList();
    List<String> ids = AsyncWebhooks.sendAccepted(client, ingressPort, "/github/push", "after-kill", WEBHOOKS, WEBHOOKS);
    Map<String, JsonObject> messages = delivered(adminPort, ids, Duration.ofSeconds(120));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    List<String> counted = messages.values().stream().filter(message -> attempts(message).size() != 1)
      .map(message -> message.getString("id") + ": " + attempts(message).encode()).toList();
    assertEquals(List.of(), counted, "deliveries with other than one attempt, after f1's kill -9");
    for (JsonObject message : messages.values()) {
      JsonObject attempt = attempts(message).getJsonObject(0);
      assertEquals("delivered", attempt.getString("outcome"), message.encode());
      assertEquals("f2", attempt.getString("node"), message.encode());
    }
    assertTrue(AsyncWebhooks.receivedAll(backend, ids), AsyncWebhooks.missing(backend, ids));
    long slowestSyncMs = 0;
    for (Future<Long> answer : syncAnswers) {
      slowestSyncMs = Math.max(slowestSyncMs, answer.await(30, TimeUnit.SECONDS));
    }
    // The backend's timeoutMs is 10 s: an answer left to the deadline would take that long.
    assertTrue(slowestSyncMs < 5_000, "the slowest sync webhook after the kill took " + slowestSyncMs + " ms");
    System.out.printf("KilledForwarderNodeIT: %d async webhooks sent after f1's kill -9 delivered by f2 in %d ms, one attempt"
      + " each; %d sync webhooks answered 200, the slowest in %d ms%n", WEBHOOKS, tookMs, WEBHOOKS, slowestSyncMs);
  }

  /**
   * Waits until every one of {@code ids} is delivered, as s's operator API shows it; returns each message's detail.
   */
  private Map<String, JsonObject> delivered(int adminPort, List<String> ids, Duration timeout) throws Exception {
    Map<String, JsonObject> delivered = new HashMap<>();
    Map<String, JsonObject> latest = new HashMap<>();
    Eventually.until(timeout, () -> {
      for (String id : ids) {
        if (!delivered.containsKey(id)) {
          JsonObject message = message(adminPort, id);
          latest.put(id, message);
          if (message.getJsonArray("deliveries").getJsonObject(0).getString("status").equals("delivered")) {
            delivered.put(id, message);
          }
        }
      }
      return delivered.size() == ids.size();
    }, () -> (ids.size() - delivered.size()) + " of " + ids.size() + " not delivered: " + ids.stream()
      .filter(id -> !delivered.containsKey(id)).map(latest::get).map(String::valueOf).collect(Collectors.joining("\n")));
    return delivered;
  }

  private JsonObject message(int adminPort, String id) {
    try {
      HttpResponse<Buffer> response = client.get(adminPort, "127.0.0.1", "/api/messages/" + id).send()
        .await(10, TimeUnit.SECONDS);
      assertEquals(200, response.statusCode(), response.bodyAsString());
      return response.bodyAsJsonObject();
    } catch (Exception e) {
      throw new AssertionError("GET /api/messages/" + id + " on s failed", e);
    }
  }

  private static JsonArray attempts(JsonObject message) {
    return message.getJsonArray("deliveries").getJsonObject(0).getJsonArray("attemptHistory");
  }
}
