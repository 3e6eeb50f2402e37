package io.hookcast.cluster;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nodes that start with other settings for a backend than the cluster knows are warned, in the cluster-wide map that
 * a single Vert.x keeps locally: a change rolled out by restarting node after node is warned about once, at the
 * first node with it.
 */
@ExtendWith(VertxExtension.class)
class BackendAgreementTest {

  @Test
  void aChangeRolledOutByRestartsIsWarnedAboutAtTheFirstNodeWithItOnly(Vertx vertx) throws Exception {
    List<BackendConfig> before = backends("http://127.0.0.1:5001/");
    List<BackendConfig> after = backends("http://127.0.0.1:5002/");
    try (LogCapture log = LogCapture.of(BackendAgreement.class)) {
      BackendAgreement.check(vertx, "a", before).await(5, TimeUnit.SECONDS);
      BackendAgreement.check(vertx, "b", before).await(5, TimeUnit.SECONDS);
      BackendAgreement.check(vertx, "a", after).await(5, TimeUnit.SECONDS);
      BackendAgreement.check(vertx, "b", after).await(5, TimeUnit.SECONDS);

      assertEquals(1, log.lines().size(), log.lines().toString());
      assertTrue(log.lines().get(0).startsWith("backend 'ci' is http://127.0.0.1:5002 (settings "), log.lines().get(0));
      assertTrue(log.lines().get(0).contains(" on node a but http://127.0.0.1:5001 (settings "), log.lines().get(0));
      assertTrue(log.lines().get(0).contains(") elsewhere in the cluster"), log.lines().get(0));
    }
  }

  /** The path of an incoming webhook (Slack's, say) is its credential: both URLs are shown as scheme://host:port. */
  @Test
  void aDisagreementShowsTheUrlsWithoutTheirPaths(Vertx vertx) throws Exception {
    try (LogCapture log = LogCapture.of(BackendAgreement.class)) {
      BackendAgreement.check(vertx, "a", backends("https://hooks.example.com/services/T0/B0/old-secret")).await(5, TimeUnit.SECONDS);
      BackendAgreement.check(vertx, "b", backends("https://hooks.example.com/services/T0/B0/new-secret")).await(5, TimeUnit.SECONDS);

      assertEquals(1, log.lines().size(), log.lines().toString());
      String line = log.lines().get(0);
      assertTrue(line.startsWith("backend 'ci' is https://hooks.example.com:443 (settings "), line);
      assertTrue(line.contains(" on node b but https://hooks.example.com:443 (settings "), line);
      assertFalse(line.contains("secret"), line);
      assertFalse(line.contains("with other signing secrets"), line);
    }
  }

  /** A node of an older version wrote its entry without the generation; it is named without its hash. */
  @Test
  void anEntryOfAnOlderNodeIsWarnedAboutWithoutItsHash(Vertx vertx) throws Exception {
    vertx.sharedData().<String, String>getAsyncMap("hookcast.backends")
      .compose(known -> known.put("ci", "http://127.0.0.1:5001/ (settings 0123abcd)")).await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(BackendAgreement.class)) {
      BackendAgreement.check(vertx, "a", backends("http://127.0.0.1:5001/")).await(5, TimeUnit.SECONDS);

      assertEquals(1, log.lines().size(), log.lines().toString());
      assertTrue(log.lines().get(0).contains(" on node a but other settings (from a node of an older version) elsewhere"),
        log.lines().get(0));
    }
  }

  /** A later version may write its entry otherwise: the warning still comes, rather than an exception. */
  @Test
  void anEntryOfAnotherFormIsWarnedAboutAsOtherSettings(Vertx vertx) throws Exception {
    vertx.sharedData().<String, String>getAsyncMap("hookcast.backends")
      .compose(known -> known.put("ci", "sha256:0123abcd|7")).await(5, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of(BackendAgreement.class)) {
      BackendAgreement.check(vertx, "a", backends("http://127.0.0.1:5001/")).await(5, TimeUnit.SECONDS);

      assertEquals(1, log.lines().size(), log.lines().toString());
      assertTrue(log.lines().get(0).contains(" on node a but other settings (from a node of another version) elsewhere"),
        log.lines().get(0));
    }
  }

  private static List<BackendConfig> backends(String url) {
    return HookcastConfig.fromJson(Configs.withBackends(Configs.backend("ci", url)), Map.of()).backends();
  }
}
