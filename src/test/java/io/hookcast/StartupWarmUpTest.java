package io.hookcast;

import io.hookcast.config.HookcastConfig;
import io.hookcast.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class StartupWarmUpTest {

  /**
   * The warm-up's exchanges go over the event bus with Hookcast's own codecs: a message type without one fails every
   * exchange at once. The first run in a cold test JVM may spend its budget loading classes, which is its purpose; a
   * second run must go through to the end.
   */
  @Test
  void runsItsExchangesToTheEnd(Vertx vertx) throws Exception {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject().put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/"))));
    try (LogCapture log = LogCapture.of(StartupWarmUp.class)) {
      // As Main does: the parts register the codecs that the exchanges need.
      NodeParts.of(vertx, config);
      StartupWarmUp.run(vertx, config).await(5, TimeUnit.SECONDS);
      StartupWarmUp.run(vertx, config).await(5, TimeUnit.SECONDS);
      // Each run's line is written off the event loop, just after the run completes.
      long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (log.lines().size() < 2 && System.nanoTime() < giveUpAt) {
        Thread.sleep(10);
      }
      List<String> lines = log.lines();
      assertTrue(lines.size() == 2 && lines.get(1).startsWith("start-up warm-up done"), lines.toString());
    }
  }
}
