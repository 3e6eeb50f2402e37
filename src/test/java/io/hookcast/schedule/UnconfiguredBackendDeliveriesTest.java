package io.hookcast.schedule;

import io.hookcast.config.AlertConfig;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deliveries to a backend the configuration no longer has (a node restarted, or reloaded, without it) stay stored
 * until it is configured again, and in sight meanwhile: gauges, the operator API, the backlog alert and the log.
 */
class UnconfiguredBackendDeliveriesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Vertx vertx;
  private LogCapture log;

  @BeforeEach
  void startVertxWithMetrics() {
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))).build();
    log = LogCapture.of(DeliveryScheduler.class);
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void deliveriesToABackendNoLongerConfiguredShowInTheGaugesTheApiABacklogAlertAndTheLog(@TempDir Path dir) throws Exception {
    RecordingBackend kept = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    RecordingBackend receiver = RecordingBackend.answering(vertx, 204, "").await(5, TimeUnit.SECONDS);
    // Stored for a backend that the node started next does not have; the meters of this store are its own, so that
    // the node's are the ones on /metrics.
    SqlDeliveryStore earlier = AsyncSetup.embeddedStore(vertx, dir, new StoreMetrics(new SimpleMeterRegistry()))
      .await(30, TimeUnit.SECONDS);
    for (int i = 0; i < 2; i++) {
      earlier.accept(AsyncSetup.message("order " + i, "gone")).await(10, TimeUnit.SECONDS);
    }
    earlier.close().await(10, TimeUnit.SECONDS);
    JsonObject store = new JsonObject().put("path", dir.resolve("data").toString());

    RunningHookcast node = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("kept", kept.url()))
      .put("routes", AsyncWebhooks.asyncRoute("/orders", "kept")).put("store", store)
      .put("alerts", new JsonArray().add(new JsonObject().put("url", receiver.url()).put("events", AlertConfig.BACKLOG_AGE)
        .put("backlogAgeSeconds", 1)))).await(60, TimeUnit.SECONDS);
    WebClient admin = WebClient.create(vertx);

    Eventually.until(WAIT, () -> !receiver.received().isEmpty(), () -> "no alert; log: " + log.lines());
    JsonObject alert = receiver.received().get(0).body().toJsonObject();
    assertEquals("gone", alert.getString("backend"));
    assertEquals(2, alert.getLong("pending"));
    assertTrue(alert.getString("text").contains("(no longer configured)"), alert.encode());

    String metrics = admin.get(node.adminPort(), "127.0.0.1", "/metrics").send().await(5, TimeUnit.SECONDS).bodyAsString();
    assertTrue(metrics.contains("hookcast_async_pending{backend=\"gone\"} 2.0"), metrics);
    assertTrue(gauge(metrics, "hookcast_async_oldest_pending_age_seconds{backend=\"gone\"}") > 0, metrics);

    JsonArray backends = admin.get(node.adminPort(), "127.0.0.1", "/api/backends").send().await(5, TimeUnit.SECONDS)
      .bodyAsJsonObject().getJsonArray("backends");
    JsonObject gone = backends.stream().map(JsonObject.class::cast).filter(b -> b.getString("name").equals("gone"))
      .findFirst().orElseThrow(() -> new AssertionError("gone is not listed: " + backends.encode()));
    assertEquals(false, gone.getBoolean("configured"));
    assertEquals(2, gone.getLong("pending"));

    assertEquals(1, log.lines().stream().filter(line -> line.startsWith("2 deliveries to backend 'gone' wait: the configuration"
      + " no longer has it")).count(), log.lines().toString());
  }

  /** The value of the sample named {@code series} (name and labels) on a Prometheus page. */
  private static double gauge(String metrics, String series) {
    return metrics.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(
      line.substring(series.length() + 1))).findFirst().orElseThrow(() -> new AssertionError("no " + series));
  }
}
