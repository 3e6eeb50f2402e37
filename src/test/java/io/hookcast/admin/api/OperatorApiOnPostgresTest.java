package io.hookcast.admin.api;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.PostgresServer;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operator API over a PostgreSQL store: what PostgreSQL refuses to hold is the caller's error, not an outage. */
@ExtendWith(VertxExtension.class)
class OperatorApiOnPostgresTest {

  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @Test
  void aNulInATextArgumentIsA400NamingItNotAStoreThatDoesNotAnswer(Vertx vertx) throws Exception {
    StoreConfig store = postgres.freshDatabase();
    JsonObject config = Configs.withBackends(Configs.backend("ci", "http://127.0.0.1:9/"))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/hooks").put("backends", new JsonArray().add("ci"))
        .put("mode", "async")))
      .put("store", new JsonObject().put("url", store.url()).put("user", store.user()).put("password", store.password()));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
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
}
