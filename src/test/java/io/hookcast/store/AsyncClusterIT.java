package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.LocalCluster;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered jar nodes sharing one real PostgreSQL: node A accepts webhooks while the backends are down, then is
 * killed with SIGKILL; node B takes over A's deliveries when their leases end and delivers every one to every backend.
 */
class AsyncClusterIT {

  private static final int WEBHOOKS = 300;
  private static final long STARTUP_SECONDS = 90;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(16));
  private final LocalCluster cluster = new LocalCluster(2);
  private Postgres postgres;

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    if (postgres != null) {
      postgres.stop();
    }
  }

  @Test
  void theSurvivingNodeDeliversEveryWebhookTheKilledNodeAccepted(@TempDir Path dir) throws Exception {
    postgres = Postgres.start();
    StoreConfig store = postgres.freshDatabase();
    String ciUrl = Configs.unreachableUrl();
    String auditUrl = Configs.unreachableUrl();
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(
        Configs.backend("ci", ciUrl, 1_000), Configs.backend("audit", auditUrl, 1_000))
      .put("routes", AsyncWebhooks.asyncRoute("/github", "ci", "audit"))
      .put("delivery", new JsonObject().put("async", new JsonObject().put("schedule", AsyncWebhooks.seconds(30))
        .put("leaseMs", 2_000)))
      .encodePrettily());
    int portA = HookcastProcess.freePort();
    HookcastProcess a = cluster.start("a", 0, portA, HookcastProcess.freePort(), LocalCluster.storeVariables(store), config);
    HookcastProcess b = cluster.start("b", 1, HookcastProcess.freePort(), HookcastProcess.freePort(),
      LocalCluster.storeVariables(store), config);
    for (HookcastProcess node : List.of(a, b)) {
      node.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    }
    a.awaitLine("Members {size:2", STARTUP_SECONDS, TimeUnit.SECONDS);

    List<String> ids = AsyncWebhooks.sendAccepted(client, portA, "/github/push", "cluster", WEBHOOKS, 16);
    a.kill();
    // The backends come up only once A is gone, so whatever they receive, node B delivered.
    RecordingBackend ci = upAgain(ciUrl, "ci");
    RecordingBackend audit = upAgain(auditUrl, "audit");

    for (RecordingBackend backend : List.of(ci, audit)) {
      Eventually.until(Duration.ofSeconds(240), () -> AsyncWebhooks.receivedAll(backend, ids),
        () -> AsyncWebhooks.missing(backend, ids));
      assertTrue(ids.containsAll(AsyncWebhooks.deliveriesById(backend).keySet()), "a delivery of a message never accepted");
    }
    System.out.printf("AsyncClusterIT: %d webhooks answered 202 by node a, delivered by node b after a's kill -9; "
      + "duplicates: ci %d, audit %d%n", WEBHOOKS, AsyncWebhooks.duplicates(ci), AsyncWebhooks.duplicates(audit));
  }

  private RecordingBackend upAgain(String url, String name) throws Exception {
    return RecordingBackend.start(vertx, URI.create(url).getPort(), (request, body) -> request.response().end(name))
      .await(10, TimeUnit.SECONDS);
  }
}
