package io.hookcast.ingress;

import io.hookcast.NodeParts;
import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderVerticle;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(VertxExtension.class)
class ConcurrentWebhooksTest {

  private static final int WEBHOOKS = 400;

  @Test
  void deliversEachOf400ConcurrentWebhooksExactlyOnceToEveryBackend(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answeringAfter(vertx, 20, 200, "a"), RecordingBackend.answeringAfter(vertx, 20, 200, "b"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.named(all.list(), "a", "b")))
        .compose(hookcast -> sendConcurrently(hookcast))
        .onComplete(context.succeeding(statuses -> context.verify(() -> {
          assertEquals(List.of(200), statuses.stream().distinct().toList());
          assertReceivedEachExactlyOnce(all.resultAt(0));
          assertReceivedEachExactlyOnce(all.resultAt(1));
          context.completeNow();
        }))));
  }

  /** Forwarders of one backend on several instances or nodes share its deliveries; none is delivered twice. */
  @Test
  void deliversExactlyOnceWhenSeveralForwardersServeOneBackend(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answeringAfter(vertx, 5, 200, "a")
      .compose(backend -> {
        var config = Configs.withBackends(Configs.backend("a", backend.url()));
        HookcastConfig typed = HookcastConfig.fromJson(config);
        return RunningHookcast.deploy(vertx, config)
          .compose(hookcast -> vertx.deployVerticle(extraForwarder(vertx, typed))
            .compose(id -> vertx.deployVerticle(extraForwarder(vertx, typed)))
            .compose(id -> sendConcurrently(hookcast)))
          .onComplete(context.succeeding(statuses -> context.verify(() -> {
            assertEquals(List.of(200), statuses.stream().distinct().toList());
            assertReceivedEachExactlyOnce(backend);
            context.completeNow();
          })));
      });
  }

  /** Another forwarder of the node's one backend, as another instance of the node would deploy it. */
  private static ForwarderVerticle extraForwarder(Vertx vertx, HookcastConfig config) {
    NodeParts parts = NodeParts.of(vertx, config);
    return new ForwarderVerticle("extra", config.backends().get(0), parts.forwarders(), parts.metrics(), parts.alerts(), parts.tracing());
  }

  private static Future<List<Integer>> sendConcurrently(RunningHookcast hookcast) {
    List<Future<Integer>> responses = new ArrayList<>();
    for (int i = 0; i < WEBHOOKS; i++) {
      responses.add(hookcast.post("/", "webhook-" + i).map(response -> response.statusCode()));
    }
    return Future.all(responses).map(all -> all.<Integer>list());
  }

  private static void assertReceivedEachExactlyOnce(RecordingBackend backend) {
    List<String> bodies = backend.received().stream().map(received -> received.body().toString()).toList();
    Set<String> expected = IntStream.range(0, WEBHOOKS).mapToObj(i -> "webhook-" + i).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(WEBHOOKS, bodies.size(), "deliveries");
    assertEquals(expected, new TreeSet<>(bodies));
  }
}
