package io.hookcast.fanout;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class ParallelDeliveryTest {

  /** The original called backends in turn: two 400 ms backends took 800 ms. A wide margin, not a speed test. */
  @Test
  void deliversToEveryBackendInParallel(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answeringAfter(vertx, 400, 200, "a"), RecordingBackend.answeringAfter(vertx, 400, 200, "b"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
        Configs.named(all.list(), "a", "b"))))
      .compose(hookcast -> hookcast.post("/", "warm-up").compose(warm -> {
        long start = System.nanoTime();
        return hookcast.post("/", "payload").map(response -> {
          assertEquals(200, response.statusCode());
          return (System.nanoTime() - start) / 1_000_000;
        });
      }))
      .onComplete(context.succeeding(elapsedMs -> context.verify(() -> {
        assertTrue(elapsedMs >= 400, "answered before the backends did: " + elapsedMs + " ms");
        assertTrue(elapsedMs < 700, "took " + elapsedMs + " ms, as if the backends were called in turn");
        context.completeNow();
      })));
  }
}
