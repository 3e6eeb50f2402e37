package io.hookcast.forward;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault test: one backend accepts requests and never answers. */
@ExtendWith(VertxExtension.class)
class HangingBackendTest {

  private static final long HANG_TIMEOUT_MS = 500;

  @Test
  void aHangingBackendCostsTheOthersNothingAndEveryAnswerComesWithinItsTimeout(Vertx vertx, VertxTestContext context) {
    Future.all(
        RecordingBackend.start(vertx, (request, body) -> { }),
        RecordingBackend.answering(vertx, 200, "fast"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
        Configs.backend("hanging", all.<RecordingBackend>resultAt(0).url(), HANG_TIMEOUT_MS).put("maxConnections", 2),
        Configs.backend("fast", all.<RecordingBackend>resultAt(1).url()))))
      .compose(hookcast -> {
        List<Future<JsonObject>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
          long start = System.nanoTime();
          answers.add(hookcast.post("/", "webhook-" + i).map(response -> response.bodyAsJsonObject()
            .put("elapsedMs", (System.nanoTime() - start) / 1_000_000).put("status", response.statusCode())));
        }
        return Future.all(answers);
      })
      .onComplete(context.succeeding(all -> context.verify(() -> {
        for (JsonObject answer : all.<JsonObject>list()) {
          assertEquals(504, answer.getInteger("status"), answer.encode());
          assertEquals(504, answer.getJsonObject("hanging").getInteger("status"));
          assertEquals(200, answer.getJsonObject("fast").getInteger("status"));
          // Its own pool: the fast backend's deliveries do not queue behind the hanging backend's two connections.
          assertTrue(answer.getJsonObject("fast").getLong("durationMs") < HANG_TIMEOUT_MS * 4 / 5, answer.encode());
          assertTrue(answer.getLong("elapsedMs") < HANG_TIMEOUT_MS + 1_000, "answered after " + answer.getLong("elapsedMs") + " ms");
        }
        context.completeNow();
      })));
  }
}
