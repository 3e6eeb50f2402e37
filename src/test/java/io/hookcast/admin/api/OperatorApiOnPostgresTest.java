package io.hookcast.admin.api;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.PostgresServer;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator API over a PostgreSQL store: what PostgreSQL refuses to hold is the caller's error, not an outage, and
 * an operator's reads, however slow, leave webhooks the connections they need.
 */
@ExtendWith(VertxExtension.class)
class OperatorApiOnPostgresTest {

  /** More than the store has connections. */
  private static final int CHARTS = 12;

  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @Test
  void aNulInATextArgumentIsA400NamingItNotAStoreThatDoesNotAnswer(Vertx vertx) throws Exception {
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, asyncRoute(postgres.freshDatabase())).await(60, TimeUnit.SECONDS);
    AdminApi api = new AdminApi(vertx, hookcast.adminPort(), null);

    try (LogCapture log = LogCapture.of(OperatorApi.class)) {
      for (String[] call : new String[][] {
        {"/api/messages/%00", "id"}, {"/api/messages?sender=gh-%00", "sender"}, {"/api/messages?route=/hooks%00", "route"}}) {
        JsonObject error = api.expect(400, api.get(call[0]));
        assertTrue(error.getString("error").startsWith(call[1] + ": "), call[0] + " answered " + error.encode());
      }
      JsonObject error = api.expect(400, api.post("/api/messages/%00/retry"));
      assertTrue(error.getString("error").startsWith("id: "), error.encode());
      assertEquals(List.of(), log.lines(), "the store was not asked");
    }
    assertEquals(200, api.get("/api/messages?sender=gh-1").statusCode());
  }

  @Test
  void operatorReadsWaitingOnALockedTableLeaveAcceptsTheirConnections(Vertx vertx) throws Exception {
    StoreConfig store = postgres.freshDatabase();
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, asyncRoute(store)).await(60, TimeUnit.SECONDS);
    // Connections enough for every chart at once: a client's default of five would queue the rest in the test.
    WebClient dashboards = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
      .setDefaultPort(hookcast.adminPort()), new PoolOptions().setHttp1MaxSize(CHARTS));

    List<Future<HttpResponse<Buffer>>> charts = new ArrayList<>();
    try (Connection maintenance = DriverManager.getConnection("jdbc:" + store.url(), store.user(), store.password())) {
      maintenance.setAutoCommit(false);
      try (Statement statement = maintenance.createStatement()) {
        // What a VACUUM FULL or an ALTER TABLE holds while it runs, on the table the activity chart reads.
        statement.execute("LOCK TABLE attempt_minutes IN ACCESS EXCLUSIVE MODE");
        // More activity charts than the store has connections, each waiting for the lock: dashboards left open.
        for (int i = 0; i < CHARTS; i++) {
          charts.add(dashboards.get("/api/activity").send());
        }
        awaitQueriesWaitingForTheLock(statement);
        HttpResponse<Buffer> accepted = hookcast.post("/hooks", "during maintenance").await(30, TimeUnit.SECONDS);
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
      } finally {
        maintenance.rollback();
      }
    }
    for (Future<HttpResponse<Buffer>> chart : charts) {
      int status = chart.await(30, TimeUnit.SECONDS).statusCode();
      assertTrue(status == 200 || status == 503, "a chart answered " + status);
    }
  }

  private static JsonObject asyncRoute(StoreConfig store) {
    return Configs.withBackends(Configs.backend("ci", "http://127.0.0.1:9/"))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/hooks").put("backends", new JsonArray().add("ci"))
        .put("mode", "async")))
      .put("store", new JsonObject().put("url", store.url()).put("user", store.user()).put("password", store.password()));
  }

  /** Until some do, and no more have come for a second: as many as the store lets an operator's reads have. */
  private static void awaitQueriesWaitingForTheLock(Statement statement) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int waiting = 0;
    long steadySince = System.nanoTime();
    while (waiting == 0 || System.nanoTime() - steadySince < TimeUnit.SECONDS.toNanos(1)) {
      assertTrue(System.nanoTime() < deadline, "the charts' queries did not settle waiting for the lock: " + waiting);
      int now = waitingForTheLock(statement);
      if (now != waiting) {
        waiting = now;
        steadySince = System.nanoTime();
      }
      Thread.sleep(20);
    }
  }

  private static int waitingForTheLock(Statement statement) throws Exception {
    try (ResultSet waiting = statement.executeQuery("SELECT COUNT(*) FROM pg_locks WHERE NOT granted")) {
      waiting.next();
      return waiting.getInt(1);
    }
  }
}
