package io.hookcast.admin.api;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator API over a PostgreSQL store that stops answering (paused with SIGSTOP): a read answers 503 within
 * its bound, and so does a change, in words that do not claim nothing changed, since the store may still apply it;
 * the log says why once, not at every answer.
 */
@ExtendWith(VertxExtension.class)
class StoreHangTest {

  /** The API's bound, plus the time a loaded machine takes to answer. */
  private static final long ANSWERED_WITHIN_MS = 5_000 + 2_000;

  @TempDir
  Path dataDir;
  private Postgres postgres;

  /** Resumes the server, then stops it. */
  @AfterEach
  void stopPostgres() {
    // Null when the server did not start: the test's own failure says why.
    if (postgres != null) {
      postgres.stop();
    }
  }

  @Test
  void whileTheStoreHangsReadsAndChangesAnswer503InTimeAndAChangeIsNotSaidToHaveFailed(Vertx vertx) throws Exception {
    postgres = Postgres.startIn(dataDir);
    // Longer than the API's bound, so that it is the API's bound that answers.
    StoreConfig store = postgres.freshDatabase(20_000);
    JsonObject config = Configs.withBackends(Configs.backend("ci", "http://127.0.0.1:9/"))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/hooks").put("backends", new JsonArray().add("ci"))
        .put("mode", "async")))
      .put("store", new JsonObject().put("url", store.url()).put("user", store.user()).put("password", store.password())
        .put("timeoutMs", store.timeoutMs()));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    AdminApi api = new AdminApi(vertx, hookcast.adminPort(), null);
    HttpResponse<Buffer> accepted = hookcast.post("/hooks", "one").await(10, TimeUnit.SECONDS);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String id = accepted.bodyAsJsonObject().getString("id");

    postgres.pause();
    String readError;
    String changeError;
    long readMs;
    long changeMs;
    List<String> logged;
    try (LogCapture log = LogCapture.of(OperatorApi.class)) {
      long start = System.nanoTime();
      readError = api.expect(503, api.get("/api/messages")).getString("error");
      readMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      start = System.nanoTime();
      changeError = api.expect(503, api.post("/api/messages/" + id + "/retry")).getString("error");
      changeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      logged = log.lines();
    }

    assertTrue(readMs < ANSWERED_WITHIN_MS, "a read answered after " + readMs + " ms");
    assertTrue(changeMs < ANSWERED_WITHIN_MS, "a change answered after " + changeMs + " ms");
    assertEquals("the delivery store does not answer; try again later", readError);
    assertTrue(changeError.contains("it may still be applied"), changeError);
    // Every poll of an open dashboard fails alike during an outage: the store's failure is logged once a minute.
    assertEquals(1, logged.size(), "lines logged for two answers within a minute: " + logged);
    assertTrue(logged.get(0).startsWith("operator API: GET /api/messages answered 503: "), logged.get(0));
  }
}
