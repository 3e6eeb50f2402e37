package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.RouteConfig;
import io.hookcast.config.TelemetryConfig;
import io.hookcast.telemetry.Tracing;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.OtlpReceiver;
import io.hookcast.work.BodyWork;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook refused because the node's workers for large bodies are busy is answered 503 (WebhookHandler): its
 * server span must say so, not 500, which reads as a defect of Hookcast's.
 */
@ExtendWith(VertxExtension.class)
class TracedRouteBusyTest {

  @Test
  void aWebhookRefusedAsBusyHasTheStatusItWasAnsweredOnItsSpan(Vertx vertx) throws Exception {
    System.setProperty("otel.bsp.schedule.delay", "100");
    OtlpReceiver collector = OtlpReceiver.start(vertx).await(10, TimeUnit.SECONDS);
    Tracing tracing = Tracing.start(new TelemetryConfig(collector.url(), 1.0, true), "node-1");
    BodyWork hashing = BodyWork.forIngress(vertx);
    Buffer large = Buffer.buffer(new byte[BodyWork.IN_PLACE_MAX_BYTES + 1]);
    try {
      // Every worker (fewer than the cores) is held past BodyWork.MAX_WAIT_MS, as by a flood of large forged bodies.
      List<Future<Object>> holding = new ArrayList<>();
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        holding.add(hashing.run(large, () -> {
          try {
            Thread.sleep(BodyWork.MAX_WAIT_MS + 500);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return null;
        }));
      }
      // A verifying route's work over the body, as VerifiedRoute does it.
      RouteHandler verifying = webhook -> hashing.run(webhook.body(), () -> true)
        .map(ok -> new Answer(200, new JsonObject(), Map.of(), () -> ""));
      TracedRoute traced = new TracedRoute(tracing, "/hook", RouteConfig.Mode.SYNC, verifying);
      Future<Answer> answered = traced.handle(new Webhook("req-1", "POST", "/hook", MultiMap.caseInsensitiveMultiMap(), large));
      Throwable cause = answered.transform(ar -> Future.succeededFuture(ar.cause())).await(10, TimeUnit.SECONDS);
      assertTrue(cause instanceof BodyWork.Busy, "the route failed as busy, which WebhookHandler answers 503: " + cause);
      // Those that found no worker either end as busy too.
      Future.join(holding).transform(ar -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
      Eventually.until(Duration.ofSeconds(10), () -> !collector.spans().isEmpty(), () -> "no span exported");
      OtlpReceiver.Received server = collector.spans().get(0);
      assertEquals("503", server.attribute("http.response.status_code"),
        "the sender was answered 503 (busy), the span says: " + server.line());
    } finally {
      hashing.close();
    }
  }
}
