package io.hookcast;

import io.hookcast.config.ConfigException;
import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * A start that fails after the store was opened (here: the ingress port is taken) gives the store back: kept, the
   * next deployment found it open, took itself for a second instance of a running node, and ran no scheduler, so its
   * async route answered 202 and delivered nothing.
   */
  @Test
  void anEmbeddedNodeDeployedAgainAfterAFailedStartDeliversItsAsyncWebhooks(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    JsonObject config = new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", 0))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "ci").put("url", backend.url())))
      .put("routes", AsyncWebhooks.asyncRoute("/hooks", "ci"));
    try (ServerSocket taken = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      Throwable failure = vertx.deployVerticle(HookcastVerticle.embedded(), new DeploymentOptions().setConfig(config))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(60, TimeUnit.SECONDS);
      assertTrue(failure != null && failure.getMessage().contains("http.port"), String.valueOf(failure));
    }
    vertx.deployVerticle(HookcastVerticle.embedded(), new DeploymentOptions().setConfig(config)).await(60, TimeUnit.SECONDS);
    WebClient client = WebClient.create(vertx);
    assertEquals(202, client.post(port, "127.0.0.1", "/hooks").sendBuffer(Buffer.buffer("{}")).await(10, TimeUnit.SECONDS)
      .statusCode());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (backend.received().isEmpty() && System.nanoTime() < deadline) {
      vertx.timer(20).await(5, TimeUnit.SECONDS);
    }
    assertEquals(1, backend.received().size(), "the accepted webhook was not delivered");
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
