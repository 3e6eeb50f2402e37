package io.hookcast.metrics;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prometheus metrics on the admin port, with a Vert.x built the way Main builds it when metrics are on. */
class MetricsTest {

  private Vertx vertx;

  @BeforeEach
  void startVertxWithMetrics() {
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)))).build();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void countsWebhooksAndDeliveriesPerBackendWithLatencyHistograms() throws Exception {
    RecordingBackend ok = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    RecordingBackend missing = RecordingBackend.answering(vertx, 404, "no").await(5, TimeUnit.SECONDS);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(
      Configs.backend("ok", ok.url()), Configs.backend("missing", missing.url()), Configs.backend("gone", Configs.unreachableUrl())
        .put("circuitBreaker", new JsonObject().put("failureThreshold", 100))
    )).await(10, TimeUnit.SECONDS);
    String metrics = metricsAfterThreeWebhooks(hookcast);

    assertContains(metrics, "hookcast_webhooks_total{status=\"5xx\"} 3.0");
    assertContains(metrics, "hookcast_deliveries_total{backend=\"ok\",outcome=\"answered\",status=\"2xx\"} 3.0");
    assertContains(metrics, "hookcast_deliveries_total{backend=\"missing\",outcome=\"answered\",status=\"4xx\"} 3.0");
    assertContains(metrics, "hookcast_deliveries_total{backend=\"gone\",outcome=\"failed\",status=\"5xx\"} 3.0");
    assertContains(metrics, "hookcast_delivery_duration_seconds_count{backend=\"ok\"} 3");
    assertContains(metrics, "hookcast_delivery_duration_seconds_bucket{backend=\"ok\",le=\"0.1\"}");
    assertContains(metrics, "hookcast_webhook_duration_seconds_count 3");
    assertContains(metrics, "hookcast_deliveries_in_flight{backend=\"ok\"} 0.0");
    assertContains(metrics, "hookcast_forwarded_total{backend=\"ok\"} 3.0");
    // A refused connection is retried (three attempts by default): each is a hand-off of its own.
    assertContains(metrics, "hookcast_forwarded_total{backend=\"gone\"} 9.0");
  }

  @Test
  void aRefusalByAnOpenCircuitIsNotCountedAsForwarded() throws Exception {
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("gone", Configs.unreachableUrl())
      .put("retry", new JsonObject().put("maxAttempts", 1)).put("circuitBreaker", new JsonObject().put("failureThreshold", 1))))
      .await(10, TimeUnit.SECONDS);
    String metrics = metricsAfterThreeWebhooks(hookcast);

    assertContains(metrics, "hookcast_deliveries_total{backend=\"gone\",outcome=\"refused\",status=\"5xx\"} 2.0");
    assertContains(metrics, "hookcast_forwarded_total{backend=\"gone\"} 1.0");
  }

  /** The /metrics page once three webhooks, sent one after the other, are answered. */
  private String metricsAfterThreeWebhooks(RunningHookcast hookcast) throws Exception {
    for (int i = 0; i < 3; i++) {
      hookcast.post("/", "webhook").await(10, TimeUnit.SECONDS);
    }
    return WebClient.create(vertx).get(hookcast.adminPort(), "127.0.0.1", "/metrics").send().await(5, TimeUnit.SECONDS)
      .bodyAsString();
  }

  private static void assertContains(String metrics, String line) {
    assertTrue(metrics.contains(line), "no '" + line + "' in:\n" + metrics.lines().filter(l -> l.startsWith("hookcast")).toList());
  }
}
