package io.hookcast.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

@ExtendWith(VertxExtension.class)
class WriterTurnsTest {

  @Test
  void anAcceptWaitingForTheWriterGoesBeforeClaimsAndRecordsThatWaitedLonger(Vertx vertx, VertxTestContext context) {
    WriterTurns turns = WriterTurns.acceptsFirst();
    List<String> started = new CopyOnWriteArrayList<>();
    Promise<String> running = Promise.promise();
    Context lane = vertx.getOrCreateContext();
    Context ingress = vertx.getOrCreateContext();
    lane.runOnContext(v -> {
      turns.other(() -> {
        started.add("claim under way");
        return running.future();
      });
      Future<String> claim = turns.other(() -> step(started, "claim", lane));
      Future<String> record = turns.other(() -> step(started, "record", lane));
      ingress.runOnContext(w -> {
        Future<String> accept = turns.accept(() -> step(started, "accept", ingress));
        running.complete("done");
        Future.all(claim, record, accept).onComplete(context.succeeding(all -> context.verify(() -> {
          assertEquals(List.of("claim under way", "accept", "claim", "record"), started);
          context.completeNow();
        })));
      });
    });
  }

  @Test
  void withConnectionsEnoughEveryTransactionStartsAtOnce(Vertx vertx, VertxTestContext context) {
    WriterTurns turns = WriterTurns.asTheyCome();
    List<String> started = new CopyOnWriteArrayList<>();
    Promise<String> running = Promise.promise();
    turns.other(() -> {
      started.add("claim");
      return running.future();
    });
    turns.other(() -> step(started, "record", null));
    turns.accept(() -> step(started, "accept", null));
    context.verify(() -> assertEquals(List.of("claim", "record", "accept"), started));
    running.complete();
    context.completeNow();
  }

  /** A transaction that notes that it started, and checks that it started on its caller's context. */
  private static Future<String> step(List<String> started, String name, Context caller) {
    if (caller != null) {
      assertSame(caller, Vertx.currentContext(), name + " started off its caller's context");
    }
    started.add(name);
    return Future.succeededFuture(name);
  }
}
