package io.hookcast.cluster;

import io.hookcast.HookcastVerticle;
import io.hookcast.NodeParts;
import io.hookcast.bus.Addresses;
import io.hookcast.config.ClusterConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A rolling change of a backend's settings in a cluster that splits the roles: node A only takes webhooks, node B
 * only forwards them, both clustered Vert.x instances in this JVM on 127.0.0.1, with a real backend. A backend's new
 * settings are a new event-bus address, so the forwarder of its old settings must stay on B as long as A still routes
 * there, and go once A has switched too.
 */
class SplitRolesReloadIT {

  private static final long STARTUP_SECONDS = 90;
  /** Longer than a retiring forwarder waits for its address to go quiet ({@code ForwarderVerticle}'s 250 ms). */
  private static final long PAST_QUIET_MS = 1_500;

  private final Vertx local = Vertx.vertx();
  private final int clusterPort = HookcastProcess.freePort();
  private final int otherClusterPort = HookcastProcess.freePort();
  private Vertx a;
  private Vertx b;

  @AfterEach
  void stopNodes() throws Exception {
    for (Vertx node : new Vertx[] {a, b}) {
      if (node != null) {
        node.close().await(60, TimeUnit.SECONDS);
      }
    }
    local.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aForwarderNodeThatReloadsFirstKeepsServingTheOldSettingsUntilTheIngressNodeSwitchesToo() throws Exception {
    RecordingBackend backend = RecordingBackend.answering(local, 200, "delivered").await(10, TimeUnit.SECONDS);
    JsonObject before = Configs.withBackends(Configs.backend("one", backend.url(), 5_000));
    JsonObject after = Configs.withBackends(Configs.backend("one", backend.url(), 5_001));
    b = clusteredNode(clusterPort);
    a = clusteredNode(otherClusterPort);
    deploy(b, before.copy().put("nodeName", "b").put("roles", new JsonArray().add("forwarder")));
    HookcastVerticle ingress = deploy(a, before.copy().put("nodeName", "a").put("roles", new JsonArray().add("ingress")));
    WebClient client = WebClient.create(local);
    // Until the cluster has told A about B's forwarder, A has none for the backend.
    Eventually.until(Duration.ofSeconds(30), () -> status(client, ingress) == 200, () -> "A never reached B's forwarder");
    ForwarderRegistry forwarders = NodeParts.of(b, HookcastConfig.fromJson(before)).forwarders();

    try (LogCapture log = LogCapture.of(HookcastVerticle.class); LogCapture waits = LogCapture.of(UnroutedWait.class)) {
      reload(b, after.copy().put("nodeName", "b").put("roles", new JsonArray().add("forwarder")));
      Eventually.until(Duration.ofSeconds(10), () -> reloads(log) == 1, () -> String.valueOf(log.lines()));
      Eventually.until(Duration.ofSeconds(10), () -> waits.lines().stream().anyMatch(line -> line.startsWith(
        "the retiring forwarder of backend 'one'") && line.contains("stays while nodes [a] still route to it")),
        () -> String.valueOf(waits.lines()));
    }
    local.timer(PAST_QUIET_MS).await(5, TimeUnit.SECONDS);
    int received = backend.received().size();
    HttpResponse<Buffer> answer = post(client, ingress);

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(received + 1, backend.received().size());

    reload(a, after.copy().put("nodeName", "a").put("roles", new JsonArray().add("ingress")));
    Eventually.until(Duration.ofSeconds(10), () -> forwarders.circuitsByBackend().get("one").size() == 1,
      () -> "B's forwarder of the old settings never retired: " + forwarders.circuitsByBackend());
    assertEquals(200, post(client, ingress).statusCode());
  }

  /**
   * The entry of an ingress whose node left the cluster without removing it (killed, say) holds nothing: here one
   * that lists the backend's old settings, under a node id no member has.
   */
  @Test
  void aForwarderRetiresDespiteTheEntryOfANodeThatLeftTheCluster() throws Exception {
    RecordingBackend backend = RecordingBackend.answering(local, 200, "delivered").await(10, TimeUnit.SECONDS);
    JsonObject before = Configs.withBackends(Configs.backend("one", backend.url(), 5_000))
      .put("nodeName", "b").put("roles", new JsonArray().add("forwarder"));
    b = clusteredNode(clusterPort);
    deploy(b, before);
    ForwarderRegistry forwarders = NodeParts.of(b, HookcastConfig.fromJson(before)).forwarders();
    b.sharedData().<String, String>getAsyncMap("hookcast.routes")
      .compose(map -> map.put("a-node-that-left/1", "gone\n" + Addresses.forwarders(HookcastConfig.fromJson(before).backends().get(0))))
      .await(30, TimeUnit.SECONDS);

    try (LogCapture log = LogCapture.of(HookcastVerticle.class)) {
      reload(b, Configs.withBackends(Configs.backend("one", backend.url(), 5_001))
        .put("nodeName", "b").put("roles", new JsonArray().add("forwarder")));
      // Logged once the new forwarder runs and before the old one can have gone.
      Eventually.until(Duration.ofSeconds(10), () -> reloads(log) == 1, () -> String.valueOf(log.lines()));
    }

    Eventually.until(Duration.ofSeconds(10), () -> forwarders.circuitsByBackend().get("one").size() == 1,
      () -> "the forwarder of the old settings never retired: " + forwarders.circuitsByBackend());
  }

  private Vertx clusteredNode(int port) throws Exception {
    VertxOptions options = new VertxOptions();
    options.getEventBusOptions().setHost("127.0.0.1");
    return Vertx.builder().with(options)
      .withClusterManager(HazelcastSetup.clusterManager(new ClusterConfig("cluster.xml", "127.0.0.1", port,
        List.of("127.0.0.1:" + clusterPort, "127.0.0.1:" + otherClusterPort), null)))
      .buildClustered()
      .await(STARTUP_SECONDS, TimeUnit.SECONDS);
  }

  private static HookcastVerticle deploy(Vertx node, JsonObject config) throws Exception {
    HookcastVerticle verticle = HookcastVerticle.embedded();
    node.deployVerticle(verticle, new DeploymentOptions().setConfig(config)).await(STARTUP_SECONDS, TimeUnit.SECONDS);
    return verticle;
  }

  /** As the config watcher does once the node's file has changed. */
  private static void reload(Vertx node, JsonObject config) {
    node.eventBus().publish(Addresses.CONFIG_CHANGED, HookcastConfig.fromJson(config), new DeliveryOptions().setLocalOnly(true));
  }

  private static long reloads(LogCapture log) {
    return log.lines().stream().filter(line -> line.startsWith("configuration reloaded")).count();
  }

  private static int status(WebClient client, HookcastVerticle ingress) {
    try {
      return post(client, ingress).statusCode();
    } catch (Exception failed) {
      return -1;
    }
  }

  private static HttpResponse<Buffer> post(WebClient client, HookcastVerticle ingress) throws Exception {
    return client.post(ingress.httpPort(), "127.0.0.1", "/").sendBuffer(Buffer.buffer("webhook")).await(30, TimeUnit.SECONDS);
  }
}
