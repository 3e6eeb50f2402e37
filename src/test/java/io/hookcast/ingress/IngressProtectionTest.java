package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What bounds the ingress: concurrent webhooks, buffered bytes, and clients that never finish a request. */
@ExtendWith(VertxExtension.class)
class IngressProtectionTest {

  private static JsonObject http(JsonObject limits) {
    return new JsonObject().put("host", "127.0.0.1").put("port", 0).put("accessLog", false).mergeIn(limits);
  }

  @Test
  void pastMaxConcurrentWebhooksTheAnswerIs503WithRetryAfterAndNoBackendIsContacted(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answeringAfter(vertx, 300, 200, "slow")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("slow", backend.url()))
          .put("http", http(new JsonObject().put("maxConcurrentWebhooks", 2))))
        .compose(hookcast -> {
          List<Future<Object[]>> answers = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            answers.add(hookcast.post("/", "webhook-" + i)
              .map(response -> new Object[] {response.statusCode(), response.getHeader("Retry-After"), response.bodyAsString()}));
          }
          return Future.all(answers);
        })
        .onComplete(context.succeeding(all -> context.verify(() -> {
          List<Object[]> answers = all.list();
          List<Object[]> refused = answers.stream().filter(answer -> (int) answer[0] == 503).toList();
          assertEquals(2, answers.stream().filter(answer -> (int) answer[0] == 200).count());
          assertEquals(3, refused.size());
          for (Object[] answer : refused) {
            assertEquals("1", answer[1]);
            assertTrue(((String) answer[2]).contains("http.maxConcurrentWebhooks"), (String) answer[2]);
          }
          assertEquals(2, backend.received().size());
          context.completeNow();
        }))));
  }

  /** A sender that hangs up does not hand back its share while its webhook is still being delivered. */
  @Test
  void theBudgetIsHeldUntilTheDeliveryEndsEvenIfTheSenderHangsUp(Vertx vertx, VertxTestContext context) throws Exception {
    RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 600, 200, "slow").await(5, TimeUnit.SECONDS);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("slow", slow.url()))
      .put("http", http(new JsonObject().put("maxConcurrentWebhooks", 1)))).await(10, TimeUnit.SECONDS);
    NetSocket socket = vertx.createNetClient().connect(hookcast.port(), "127.0.0.1").await(5, TimeUnit.SECONDS);
    socket.write("POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 9\r\n\r\nhung-up-1").await(5, TimeUnit.SECONDS);
    Eventually.until(Duration.ofSeconds(10), () -> !slow.received().isEmpty(), () -> "the webhook never reached the backend");
    socket.close().await(5, TimeUnit.SECONDS);

    int whileDelivering = hookcast.post("/", "second").await(5, TimeUnit.SECONDS).statusCode();
    vertx.timer(900).await(5, TimeUnit.SECONDS);
    int afterDelivery = hookcast.post("/", "third").await(5, TimeUnit.SECONDS).statusCode();

    context.verify(() -> {
      assertEquals(503, whileDelivering, "the hung-up webhook's share was handed back early");
      assertEquals(200, afterDelivery, "the share was never handed back");
      context.completeNow();
    });
  }

  @Test
  void pastMaxBufferedBytesTheAnswerIs503(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answeringAfter(vertx, 300, 200, "slow")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("slow", backend.url()))
          .put("http", http(new JsonObject().put("maxBufferedBytes", 1_500).put("maxBodyBytes", 1_500))))
        .compose(hookcast -> Future.all(hookcast.post("/", "x".repeat(1_000)), hookcast.post("/", "y".repeat(1_000))))
        .onComplete(context.succeeding(all -> context.verify(() -> {
          List<Integer> statuses = all.<io.vertx.ext.web.client.HttpResponse<?>>list().stream()
            .map(io.vertx.ext.web.client.HttpResponse::statusCode).sorted().toList();
          assertEquals(List.of(200, 503), statuses);
          assertEquals(1, backend.received().size());
          context.completeNow();
        }))));
  }

  /** Fault test: a slowloris client trickles header bytes, so it is never idle, and never finishes. */
  @Test
  void aSlowlorisClientIsDisconnectedAndOthersAreServedMeanwhile(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("ok", backend.url(), 2_000))
        .put("http", http(new JsonObject().put("requestTimeoutMs", 1_000).put("idleTimeoutMs", 5_000)))))
      .compose(hookcast -> vertx.createNetClient().connect(hookcast.port(), "127.0.0.1")
        .compose(socket -> {
          long start = System.nanoTime();
          Promise<Long> closed = Promise.promise();
          StringBuilder received = new StringBuilder();
          socket.handler(bytes -> received.append(bytes));
          long timer = trickle(vertx, socket, "POST / HTTP/1.1\r\nHost: hookcast\r\nX-Padding: " + "a".repeat(200));
          socket.closeHandler(v -> {
            vertx.cancelTimer(timer);
            closed.tryComplete((System.nanoTime() - start) / 1_000_000);
          });
          return hookcast.post("/", "meanwhile")
            .compose(served -> closed.future().map(ms -> new Object[] {served.statusCode(), ms, received.toString()}));
        }))
      .onComplete(context.succeeding(result -> context.verify(() -> {
        assertEquals(200, result[0], "a normal webhook during the slowloris");
        long closedAfterMs = (long) result[1];
        assertTrue(closedAfterMs >= 900 && closedAfterMs < 4_000,
          "disconnected after " + closedAfterMs + " ms; the server sent: '" + result[2] + "'");
        context.completeNow();
      })));
  }

  /** Writes one byte every 100 ms; returns the timer to cancel. */
  private static long trickle(Vertx vertx, NetSocket socket, String text) {
    int[] index = {0};
    return vertx.setPeriodic(100, id -> {
      if (index[0] < text.length()) {
        socket.write(String.valueOf(text.charAt(index[0]++)));
      }
    });
  }
}
