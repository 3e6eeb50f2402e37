package io.hookcast;

import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The warm-up that {@code java -jar} runs before the ingress listener opens stays inside the process: no configured
 * backend hears from it, and neither the access log, the metrics nor the recent sync webhooks show it. The webhook
 * sent afterwards shows in all of them, so that the checks can see what they look for.
 */
class StartupWarmUpIT {

  @Test
  void sendsNothingToConfiguredBackendsAndLeavesNoTraceInTheAccessLogMetricsOrRecentWebhooks(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
      int port = HookcastProcess.freePort();
      int adminPort = HookcastProcess.freePort();
      Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("admin", new JsonObject().put("port", adminPort))
        .put("reload", new JsonObject().put("scanPeriodMs", 0))
        .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", backend.url())))
        .encode());
      HttpClient client = vertx.createHttpClient();
      try (HookcastProcess hookcast = HookcastProcess.start("-conf", config.toString())) {
        hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);

        assertEquals(List.of(), backend.received(), "the warm-up reached a configured backend");
        assertFalse(hookcast.output().contains(" B -> "), "an access-log line before any webhook:\n" + hookcast.output());
        String metrics = get(client, adminPort, "/metrics").await(10, TimeUnit.SECONDS);
        assertFalse(metrics.contains("warm-up"), metrics);
        assertTrue(metrics.contains("hookcast_webhooks_total{status=\"2xx\"} 0.0"), metrics);
        assertEquals(0, syncWebhooks(client, adminPort).size());

        assertEquals(200, post(client, port, "/after-start").await(30, TimeUnit.SECONDS), hookcast.output());

        assertEquals(1, backend.received().size());
        assertEquals("/after-start", backend.received().get(0).uri());
        hookcast.awaitLine(" B -> 200", 30, TimeUnit.SECONDS);
        assertEquals(1, hookcast.output().lines().filter(line -> line.contains(" B -> ")).count(), hookcast.output());
        assertFalse(hookcast.output().contains("warm-up"), hookcast.output());
        assertTrue(get(client, adminPort, "/metrics").await(10, TimeUnit.SECONDS)
          .contains("hookcast_webhooks_total{status=\"2xx\"} 1.0"));
        JsonArray recent = syncWebhooks(client, adminPort);
        assertEquals(1, recent.size(), recent.encode());
        assertEquals("/after-start", recent.getJsonObject(0).getString("path"));
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonArray syncWebhooks(HttpClient client, int adminPort) throws Exception {
    return new JsonObject(get(client, adminPort, "/api/sync").await(10, TimeUnit.SECONDS)).getJsonArray("webhooks");
  }

  private static Future<String> get(HttpClient client, int port, String uri) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port).setURI(uri))
      .compose(request -> request.send())
      .compose(response -> response.body())
      .map(Buffer::toString);
  }

  private static Future<Integer> post(HttpClient client, int port, String uri) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(uri))
      .compose(request -> request.send(Buffer.buffer("{\"event\":\"deploy\"}")))
      .map(response -> response.statusCode());
  }
}
