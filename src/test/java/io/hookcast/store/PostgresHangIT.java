package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The built jar on a PostgreSQL server that stops answering (SIGSTOP, as a hung host or a partition looks): async
 * senders get 503 with Retry-After within store.timeoutMs, sync routes keep answering, /ready says the store is down,
 * and SIGTERM still stops the node within its drain bound; once the server answers again, a restarted node delivers
 * every webhook that was answered 202.
 */
class PostgresHangIT {

  private static final long STORE_TIMEOUT_MS = 1_000;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx);
  private Postgres postgres;
  private HookcastProcess hookcast;

  @AfterEach
  void stop() throws Exception {
    if (hookcast != null) {
      hookcast.close();
    }
    if (postgres != null) {
      postgres.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aHungServerIsAnswered503InTimeWhileSyncRoutesWorkReadyIsDownAndSigtermStillStopsTheNode(@TempDir Path dir)
    throws Exception {
    Path postgresDir = Files.createDirectory(dir.resolve("postgres"));
    postgres = Postgres.startIn(postgresDir);
    StoreConfig store = postgres.freshDatabase();
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    int adminPort = HookcastProcess.freePort();
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(Configs.backend("ci", backend.url(), 2_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", adminPort))
      .put("routes", AsyncWebhooks.asyncRoute("/async", "ci")
        .add(new JsonObject().put("path", "/sync").put("backends", new JsonArray().add("ci"))))
      .put("store", new JsonObject().put("url", store.url()).put("user", store.user()).put("password", store.password())
        .put("timeoutMs", STORE_TIMEOUT_MS))
      .encodePrettily());
    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", 90, TimeUnit.SECONDS);

    List<String> accepted = new ArrayList<>();
    assertEquals(202, post(port, "/async/before", accepted).statusCode());
    assertEquals(200, ready(adminPort));

    postgres.pause();
    long start = System.nanoTime();
    HttpResponse<Buffer> refused = post(port, "/async/during", accepted);
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertNotNull(refused.getHeader("Retry-After"));
    assertTrue(elapsedMs < STORE_TIMEOUT_MS + 1_500, "answered after " + elapsedMs + " ms");
    assertEquals(200, post(port, "/sync/during", accepted).statusCode(), "a sync route stopped answering");
    Eventually.until(Duration.ofSeconds(10), () -> ready(adminPort) == 503, () -> "/ready still up with the store hung: "
      + await(client.get(adminPort, "127.0.0.1", "/ready").send()).bodyAsString() + "\noutput:\n" + hookcast.output());

    hookcast.terminate();
    long terminated = System.nanoTime();
    // The bound (the async attempts under way: timeoutMs + store.timeoutMs + 2 s; then the close: store.timeoutMs + 5 s),
    // which the hung server makes the node wait out, and the JVM's own stop.
    assertEquals(0, hookcast.awaitExit(20, TimeUnit.SECONDS), hookcast.output());
    System.out.printf("PostgresHangIT: 503 after %d ms with the server hung; SIGTERM to exit %d ms%n", elapsedMs,
      TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - terminated));

    postgres.resume();
    hookcast.close();
    hookcast = HookcastProcess.start("-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", 90, TimeUnit.SECONDS);
    assertEquals(202, post(port, "/async/after", accepted).statusCode());
    Eventually.until(Duration.ofSeconds(30), () -> AsyncWebhooks.receivedAll(backend, accepted),
      () -> AsyncWebhooks.missing(backend, accepted));
  }

  /** Posts a webhook; an async route's 202 adds its message id to {@code accepted}. */
  private HttpResponse<Buffer> post(int port, String uri, List<String> accepted) {
    HttpResponse<Buffer> response = await(client.post(port, "127.0.0.1", uri).sendBuffer(Buffer.buffer("{}")));
    if (response.statusCode() == 202) {
      accepted.add(response.getHeader("X-Hookcast-Message-Id"));
    }
    return response;
  }

  private int ready(int adminPort) {
    return await(client.get(adminPort, "127.0.0.1", "/ready").send()).statusCode();
  }

  private HttpResponse<Buffer> await(Future<HttpResponse<Buffer>> response) {
    try {
      return response.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 30 s; output:\n" + hookcast.output(), e);
    }
  }
}
