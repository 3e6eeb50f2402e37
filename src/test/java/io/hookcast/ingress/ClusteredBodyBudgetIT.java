package io.hookcast.ingress;

import io.hookcast.cluster.HazelcastSetup;
import io.hookcast.config.ClusterConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On a clustered node a sync webhook's body is held more than once: its buffer, and a frame holding a copy for each
 * backend whose forwarder is on another node while it is handed over. The node's byte budget counts every copy, so
 * that large webhooks arriving together are answered 503 rather than running the node out of heap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusteredBodyBudgetIT {

  private static final int BODY_BYTES = 700_000;

  private Vertx node;

  @BeforeAll
  void startClusteredNode() throws Exception {
    int port = HookcastProcess.freePort();
    node = Vertx.builder().with(new VertxOptions())
      .withClusterManager(HazelcastSetup.clusterManager(new ClusterConfig("cluster.xml", "127.0.0.1", port,
        List.of("127.0.0.1:" + port), null)))
      .buildClustered()
      .await(90, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) {
      node.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWebhookToTwoBackendsHoldsItsBodyThriceInTheBudgetAndOneAloneIsTakenWhateverThatComesTo() throws Exception {
    List<RecordingBackend> slow = List.of(
      RecordingBackend.answeringAfter(node, 1_500, 200, "one").await(10, TimeUnit.SECONDS),
      RecordingBackend.answeringAfter(node, 1_500, 200, "two").await(10, TimeUnit.SECONDS));
    JsonObject config = Configs.withBackends(Configs.named(slow, "one", "two"));
    // Two bodies fit 2 MB once each (1.4 MB), not thrice each (4.2 MB); one alone comes to 2.1 MB, over 2 MB.
    config.getJsonObject("http").put("maxBufferedBytes", 2_000_000).put("maxBodyBytes", 1_000_000);
    RunningHookcast hookcast = RunningHookcast.deploy(node, config).await(60, TimeUnit.SECONDS);

    Future<HttpResponse<Buffer>> first = hookcast.post("/", Buffer.buffer(new byte[BODY_BYTES]));
    Eventually.until(Duration.ofSeconds(10), () -> slow.stream().allMatch(backend -> backend.received().size() == 1),
      () -> "the first webhook never reached both backends");
    int second = hookcast.post("/", Buffer.buffer(new byte[BODY_BYTES])).await(10, TimeUnit.SECONDS).statusCode();
    int firstStatus = first.await(10, TimeUnit.SECONDS).statusCode();
    int third = hookcast.post("/", Buffer.buffer(new byte[BODY_BYTES])).await(10, TimeUnit.SECONDS).statusCode();

    assertEquals(200, firstStatus, "alone on the node, it is taken though its copies come to more than the budget");
    assertEquals(503, second, "taken while the first held its body and a frame for each backend");
    assertEquals(200, third, "the first's share, all its copies, was given back");
    assertEquals(2, slow.get(0).received().size());
  }
}
