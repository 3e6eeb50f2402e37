package io.hookcast.store;

import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.HookcastProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A store the jar cannot use stops startup with exit 2 and one line naming the store.* key, not a stack trace; a server
 * it cannot reach stops it as a failed start.
 */
class StoreStartupIT {

  @Test
  void aClusteredNodeWithAnAsyncRouteAndTheEmbeddedStoreRefusesToStartNamingStoreUrl(@TempDir Path dir) throws Exception {
    Path config = write(dir, new JsonObject().put("path", dir.resolve("data").toString()));

    try (HookcastProcess node = HookcastProcess.start("-cluster", "-conf", config.toString())) {
      assertEquals(2, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      List<String> lines = node.output().lines().toList();
      assertEquals(1, lines.size(), node.output());
      assertTrue(lines.get(0).startsWith("hookcast: invalid configuration: store.url: "), node.output());
    }
  }

  @Test
  void aStorePathThatIsARegularFileRefusesToStartNamingStorePath(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    Path config = write(dir, new JsonObject().put("path", file.toString()));

    try (HookcastProcess node = HookcastProcess.start("-conf", config.toString())) {
      assertEquals(2, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      List<String> refusals = node.output().lines().filter(line -> line.startsWith("hookcast: invalid configuration: ")).toList();
      assertEquals(1, refusals.size(), node.output());
      assertTrue(refusals.get(0).startsWith("hookcast: invalid configuration: store.path '" + file + "': not a directory"),
        node.output());
      assertFalse(node.output().contains("\tat "), "a stack trace:\n" + node.output());
    }
    assertEquals("x", Files.readString(file), "the file was changed");
  }

  @Test
  void aRetentionOfZeroHoursRefusesToStartNamingStoreRetentionHours(@TempDir Path dir) throws Exception {
    Path config = write(dir, new JsonObject().put("path", dir.resolve("data").toString()).put("retentionHours", 0));

    try (HookcastProcess node = HookcastProcess.start("-conf", config.toString())) {
      assertEquals(2, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      assertEquals(List.of("hookcast: invalid configuration: store.retentionHours: 0 is out of range 1..87600"),
        node.output().lines().toList());
    }
  }

  /** PostgreSQL down or not up yet: a supervisor should start the node again, not wait for a fixed file. */
  @Test
  void aPostgresServerThatCannotBeReachedFailsTheStartWithTheDeploymentsCodeNotAsAnInvalidConfiguration(@TempDir Path dir)
    throws Exception {
    int port = HookcastProcess.freePort();
    Path config = write(dir, new JsonObject().put("url", "postgresql://127.0.0.1:" + port + "/hookcast").put("user", "hookcast"));

    try (HookcastProcess node = HookcastProcess.start("-conf", config.toString())) {
      assertEquals(15, node.awaitExit(60, TimeUnit.SECONDS), node.output());
      assertTrue(node.output().contains("hookcast: could not start: store.url postgresql://127.0.0.1:" + port
        + "/hookcast (user hookcast): cannot reach the server: "), node.output());
      assertFalse(node.output().contains("invalid configuration"), node.output());
    }
  }

  private static Path write(Path dir, JsonObject store) throws Exception {
    return Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(Configs.backend("ci", Configs.unreachableUrl()))
      .put("routes", AsyncWebhooks.asyncRoute("/github", "ci"))
      .put("store", store)
      .encodePrettily());
  }
}
