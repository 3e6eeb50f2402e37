package io.hookcast.cluster;

import io.hookcast.config.ClusterConfig;
import io.hookcast.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HazelcastSetupTest {

  @Test
  void aConfigFileThatDoesNotExistStopsStartupNamingTheKey(@TempDir Path dir) {
    // A typo in HOOKCAST_CLUSTER_CONFIG_FILE: the node must not join with the bundled settings instead.
    Path misspelt = dir.resolve("clustr.xml");
    ClusterConfig cluster = new ClusterConfig(misspelt.toString(), "127.0.0.1", 5701, List.of("127.0.0.1"), null);
    assertEquals("cluster.configFile: '" + misspelt + "' does not exist",
      assertThrows(ConfigException.class, () -> HazelcastSetup.clusterManager(cluster)).getMessage());
  }
}
