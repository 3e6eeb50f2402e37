package io.hookcast;

import io.hookcast.config.ConfigException;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** An embedded node (the process is not its own) reports an invalid configuration through its deployment. */
@ExtendWith(VertxExtension.class)
class HookcastVerticleTest {

  @Test
  void anEmbeddedNodeWithAnOutOfRangeValueFailsItsDeploymentNamingTheKey(Vertx vertx, VertxTestContext context) {
    JsonObject config = new JsonObject("""
      {"delivery": {"maxInFlight": 9999999999}, "backends": [{"name": "a", "url": "http://127.0.0.1:1/"}]}""");
    vertx.deployVerticle(HookcastVerticle.embedded(), new DeploymentOptions().setConfig(config))
      .onComplete(context.failing(failure -> context.verify(() -> {
        assertInstanceOf(ConfigException.class, failure);
        assertEquals("delivery.maxInFlight: 9999999999 is out of range 1..100000", failure.getMessage());
        assertEquals(0, vertx.deploymentIDs().size(), "a node with an invalid configuration was left deployed");
        context.completeNow();
      })));
  }

  @Test
  void anEmbeddedNodeWithoutConfigurationSaysSo(Vertx vertx, VertxTestContext context) {
    vertx.deployVerticle(HookcastVerticle.embedded())
      .onComplete(context.failing(failure -> context.verify(() -> {
        assertEquals("no configuration: -conf must name a readable JSON file or be a JSON object", failure.getMessage());
        context.completeNow();
      })));
  }
}
