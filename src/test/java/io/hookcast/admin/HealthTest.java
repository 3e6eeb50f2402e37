package io.hookcast.admin;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
class HealthTest {

  @Test
  void healthAndReadinessAnswerOnTheAdminPortAndShowEachBackendsCircuit(Vertx vertx, VertxTestContext context) throws Exception {
    RecordingBackend up = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(
      Configs.backend("up", up.url()),
      Configs.backend("down", Configs.unreachableUrl())
        .put("retry", new JsonObject().put("maxAttempts", 1))
        .put("circuitBreaker", new JsonObject().put("failureThreshold", 2).put("resetTimeoutMs", 60_000)))).await(10, TimeUnit.SECONDS);
    WebClient admin = WebClient.create(vertx);

    var health = admin.get(hookcast.adminPort(), "127.0.0.1", "/health").send().await(5, TimeUnit.SECONDS);
    var readyBefore = admin.get(hookcast.adminPort(), "127.0.0.1", "/ready").send().await(5, TimeUnit.SECONDS);
    hookcast.post("/", "one").await(5, TimeUnit.SECONDS);
    hookcast.post("/", "two").await(5, TimeUnit.SECONDS);
    var readyAfter = admin.get(hookcast.adminPort(), "127.0.0.1", "/ready").send().await(5, TimeUnit.SECONDS);
    var webhookPath = hookcast.post("/health", "probe").await(5, TimeUnit.SECONDS);

    context.verify(() -> {
      assertEquals(200, health.statusCode());
      assertEquals("UP", health.bodyAsJsonObject().getString("status"));
      assertEquals(200, readyBefore.statusCode(), readyBefore.bodyAsString());
      assertEquals(new JsonArray().add("closed"), circuit(readyBefore.bodyAsJsonObject(), "down"));
      assertEquals(200, readyAfter.statusCode(), "an open circuit is the backend's problem, not this node's");
      assertEquals(new JsonArray().add("open"), circuit(readyAfter.bodyAsJsonObject(), "down"));
      assertEquals(new JsonArray().add("closed"), circuit(readyAfter.bodyAsJsonObject(), "up"));
      // The webhook port has no admin paths: /health there is a webhook like any other ("down" is circuit-open by now).
      assertEquals(1, up.received().stream().filter(received -> received.uri().equals("/health")).count());
      assertEquals(503, webhookPath.statusCode());
      context.completeNow();
    });
  }

  private static JsonArray circuit(JsonObject ready, String backend) {
    for (Object check : ready.getJsonArray("checks")) {
      JsonObject json = (JsonObject) check;
      if (json.getString("id").equals("forwarders")) {
        return json.getJsonObject("data").getJsonObject("backends").getJsonObject(backend).getJsonArray("circuit");
      }
    }
    throw new AssertionError("no forwarders check in " + ready.encode());
  }
}
