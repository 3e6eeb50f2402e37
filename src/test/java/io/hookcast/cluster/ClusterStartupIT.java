package io.hookcast.cluster;

import io.hookcast.HookcastVerticle;
import io.hookcast.config.ClusterConfig;
import io.hookcast.config.ConfigException;
import io.hookcast.testing.Configs;
import io.hookcast.testing.HookcastProcess;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that cannot join as configured says why and exits, rather than waiting forever; one that joins has nothing to
 * warn about.
 */
class ClusterStartupIT {

  private static final String CONFIG = "{\"backends\": [{\"name\": \"one\", \"url\": \"http://127.0.0.1:5001/\"}]}";

  @Test
  void aBrokenClusterXmlStopsTheNodeWithAClearMessage(@TempDir Path dir) throws Exception {
    Path xml = Files.writeString(dir.resolve("cluster.xml"), "<hazelcast><network><join><tcp-ip enabled=\"yes\">");
    try (HookcastProcess node = HookcastProcess.start(Map.of("HOOKCAST_CLUSTER_CONFIG", xml.toString()), "-cluster", "-conf", CONFIG)) {
      assertEquals(2, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      // The JDK's XML parser prints its own "[Fatal Error]" line first; Hookcast's verdict follows.
      assertTrue(node.output().contains("hookcast: invalid configuration: cluster.configFile: '" + xml
        + "' is not a valid Hazelcast configuration"), node.output());
    }
  }

  @Test
  void anUnresolvableMemberStopsTheNodeWithAClearMessage() throws Exception {
    try (HookcastProcess node = HookcastProcess.start(Map.of("HOOKCAST_CLUSTER_MEMBERS", "127.0.0.1,no-such-node.invalid"),
        "-cluster", "-conf", CONFIG)) {
      assertEquals(2, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      assertTrue(node.output().startsWith("hookcast: invalid configuration: cluster.members[1]: 'no-such-node.invalid' cannot be resolved"),
        node.output());
    }
  }

  @Test
  void aMissingTlsFileStopsTheNodeWithAClearMessage(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("node-key.pem");
    try (HookcastProcess node = HookcastProcess.start(Map.of("HOOKCAST_CLUSTER_TLS_KEY", missing.toString(),
        "HOOKCAST_CLUSTER_TLS_CERT", dir.resolve("node.pem").toString(), "HOOKCAST_CLUSTER_TLS_TRUST", dir.resolve("ca.pem").toString()),
        "-cluster", "-conf", CONFIG)) {
      assertEquals(2, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      assertEquals("hookcast: invalid configuration: cluster.tls.keyPath: '" + missing + "' does not exist"
        + " (set by HOOKCAST_CLUSTER_TLS_KEY)\n", node.output());
    }
  }

  /** A warning on every clustered start would teach operators to ignore warnings. */
  @Test
  void aCleanClusteredStartLogsNoWarning() throws Exception {
    int clusterPort = HookcastProcess.freePort();
    try (HookcastProcess node = HookcastProcess.start(Map.of(
        "HOOKCAST_HTTP_PORT", String.valueOf(HookcastProcess.freePort()),
        "HOOKCAST_ADMIN_PORT", String.valueOf(HookcastProcess.freePort()),
        "HOOKCAST_CLUSTER_HOST", "127.0.0.1",
        "HOOKCAST_CLUSTER_PORT", String.valueOf(clusterPort),
        "HOOKCAST_CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort),
      "-cluster", "-conf", CONFIG)) {
      node.awaitLine("dashboard: ", 120, TimeUnit.SECONDS);
      String output = node.output();
      assertTrue(output.contains("Members {size:1"), output);
      assertFalse(output.contains("WARNING") || output.contains("SEVERE"), output);
    }
  }

  /**
   * The rule that a clustered async ingress keeps its webhooks in PostgreSQL holds however the node was started: here
   * by an application, on its own clustered Vert.x.
   */
  @Test
  void onAnApplicationsClusteredVertxAnAsyncRouteOnTheEmbeddedStoreIsRefusedNamingTheKey(@TempDir Path dir) throws Exception {
    int clusterPort = HookcastProcess.freePort();
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost("127.0.0.1")))
      .withClusterManager(HazelcastSetup.clusterManager(new ClusterConfig("cluster.xml", "127.0.0.1", clusterPort,
        List.of("127.0.0.1:" + clusterPort), null)))
      .buildClustered()
      .await(60, TimeUnit.SECONDS);
    try {
      JsonObject config = Configs.withBackends(Configs.backend("one", "http://127.0.0.1:9/"))
        .put("routes", new JsonArray().add(new JsonObject().put("path", "/hooks").put("backends", new JsonArray().add("one"))
          .put("mode", "async")))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString()));
      Throwable refused = vertx.deployVerticle(HookcastVerticle.embedded(), new DeploymentOptions().setConfig(config))
        .transform(Future::succeededFuture).await(60, TimeUnit.SECONDS).cause();

      ConfigException invalid = assertInstanceOf(ConfigException.class, refused);
      assertTrue(invalid.getMessage().startsWith("store.url: a clustered node with an async route needs the shared PostgreSQL store"),
        invalid.getMessage());
    } finally {
      vertx.close().await(60, TimeUnit.SECONDS);
    }
  }
}
