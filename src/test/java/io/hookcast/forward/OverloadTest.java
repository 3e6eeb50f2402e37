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

/** Fault test: more webhooks at once than a slow backend may take. */
@ExtendWith(VertxExtension.class)
class OverloadTest {

  @Test
  void pastMaxInFlightAndMaxQueuedTheBackendIsOverloadedAtOnceAndTheOthersAreServed(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answeringAfter(vertx, 300, 200, "slow"), RecordingBackend.answering(vertx, 200, "fast"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.backend("slow", all.<RecordingBackend>resultAt(0).url(), 5_000).put("maxInFlight", 2).put("maxQueued", 2),
          Configs.backend("fast", all.<RecordingBackend>resultAt(1).url())))
        .compose(hookcast -> {
          List<Future<JsonObject>> answers = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            answers.add(hookcast.post("/", "webhook-" + i).map(response -> response.bodyAsJsonObject()));
          }
          return Future.all(answers);
        })
        .onComplete(context.succeeding(answers -> context.verify(() -> {
          List<JsonObject> slow = answers.<JsonObject>list().stream().map(answer -> answer.getJsonObject("slow")).toList();
          List<JsonObject> overloaded = slow.stream().filter(result -> result.getInteger("status") == 503).toList();
          assertEquals(4, slow.stream().filter(result -> result.getInteger("status") == 200).count(), slow.toString());
          assertEquals(6, overloaded.size(), slow.toString());
          for (JsonObject result : overloaded) {
            assertEquals(0, result.getInteger("attempts"));
            assertEquals(0L, result.getLong("durationMs"));
            assertEquals(true, result.getString("error").startsWith("overloaded"), result.encode());
          }
          // What is refused is never held: the slow backend saw only what it was given.
          assertEquals(4, all.<RecordingBackend>resultAt(0).received().size());
          assertEquals(10, all.<RecordingBackend>resultAt(1).received().size());
          context.completeNow();
        }))));
  }
}
