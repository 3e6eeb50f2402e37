package io.hookcast.deadline;

import io.hookcast.deadline.Deadlines.Deadline;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deadlines expire on their event loop, never early and each once, and cancelled ones never do. */
@ExtendWith(VertxExtension.class)
class DeadlinesTest {

  private static final long NANOS_PER_MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void expiresEachDeadlineOnceInTheOrderTheyFallDueAndNeverEarly(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      Deadlines deadlines = new Deadlines(vertx);
      Thread eventLoop = Thread.currentThread();
      List<Integer> expired = new ArrayList<>();
      long setAt = System.nanoTime();
      for (int i = 0; i < 3; i++) {
        int which = i;
        deadlines.after(40 + 20L * i, () -> context.verify(() -> {
          assertTrue(System.nanoTime() - setAt >= (40 + 20L * which) * NANOS_PER_MS, "deadline " + which + " expired early");
          assertEquals(eventLoop, Thread.currentThread());
          expired.add(which);
          if (which == 2) {
            vertx.setTimer(100, id -> context.verify(() -> {
              assertEquals(List.of(0, 1, 2), expired);
              context.completeNow();
            }));
          }
        }));
      }
    });
  }

  /**
   * A cancelled deadline queued behind a live one stays in the queue until that one falls due; what its callback
   * holds (a webhook's body) must be free to go at once.
   */
  @Test
  void aCancelledDeadlineBehindALiveOneNoLongerHoldsWhatItsCallbackHeld(Vertx vertx, VertxTestContext context) {
    WeakReference<byte[]>[] held = new WeakReference[1];
    vertx.runOnContext(v -> {
      Deadlines deadlines = new Deadlines(vertx);
      deadlines.after(60_000, () -> context.failNow("the live deadline expired"));
      byte[] body = new byte[1 << 20];
      held[0] = new WeakReference<>(body);
      deadlines.after(60_000, () -> context.failNow("a cancelled deadline expired, holding " + body.length)).cancel();
    });
    vertx.setTimer(50, id -> vertx.executeBlocking(() -> {
      for (int i = 0; i < 20 && held[0].get() != null; i++) {
        System.gc();
        Thread.sleep(50);
      }
      return held[0].get() == null;
    }).onComplete(context.succeeding(freed -> context.verify(() -> {
      assertTrue(freed, "the cancelled deadline's callback still holds what it captured");
      context.completeNow();
    }))));
  }

  @Test
  void aCancelledDeadlineNeverExpiresWhateverOrderTheyAreCancelledIn(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> context.verify(() -> {
      Deadlines deadlines = new Deadlines(vertx);
      List<Integer> expired = new ArrayList<>();
      List<Deadline> set = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        int which = i;
        set.add(deadlines.after(30, () -> expired.add(which)));
      }
      // Cancelled out of order, as answers arrive: the oldest last.
      for (int i = set.size() - 1; i >= 0; i--) {
        if (i != 500) {
          set.get(i).cancel();
        }
      }
      set.get(500).cancel();
      deadlines.after(30, () -> expired.add(-1));
      vertx.setTimer(200, id -> context.verify(() -> {
        assertEquals(List.of(-1), expired);
        context.completeNow();
      }));
    }));
  }

  @Test
  void aDeadlineDueBeforeTheLastOneSetStillExpiresOnTime(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      Deadlines deadlines = new Deadlines(vertx);
      List<String> expired = new ArrayList<>();
      long setAt = System.nanoTime();
      deadlines.after(1_000, () -> expired.add("long"));
      deadlines.at(setAt + 30 * NANOS_PER_MS, () -> context.verify(() -> {
        expired.add("retry");
        assertEquals(List.of("retry"), expired, "the shorter deadline did not wait for the longer one");
        assertTrue(System.nanoTime() - setAt < 900 * NANOS_PER_MS);
        context.completeNow();
      }));
    });
  }

  /** The timer is left set when the queue empties; a shorter deadline queued after that must not wait for it. */
  @Test
  void aShorterDeadlineSetAfterTheQueueEmptiedStillExpiresOnTime(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      Deadlines deadlines = new Deadlines(vertx);
      long setAt = System.nanoTime();
      deadlines.after(1_000, () -> context.failNow("a cancelled deadline expired")).cancel();
      deadlines.after(30, () -> context.verify(() -> {
        long elapsed = System.nanoTime() - setAt;
        assertTrue(elapsed >= 30 * NANOS_PER_MS, "expired early");
        assertTrue(elapsed < 900 * NANOS_PER_MS, "waited for the timer of the cancelled deadline");
        context.completeNow();
      }));
    });
  }

  /** The timer left set for a cancelled deadline fires first; the later one queued after it must still expire, not early. */
  @Test
  void aLongerDeadlineSetAfterTheQueueEmptiedExpiresWhenDue(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      Deadlines deadlines = new Deadlines(vertx);
      long setAt = System.nanoTime();
      deadlines.after(50, () -> context.failNow("a cancelled deadline expired")).cancel();
      deadlines.after(300, () -> context.verify(() -> {
        long elapsed = System.nanoTime() - setAt;
        assertTrue(elapsed >= 300 * NANOS_PER_MS, "expired after " + elapsed / NANOS_PER_MS + " ms, before it was due");
        assertTrue(elapsed < 2_000 * NANOS_PER_MS, "expired after " + elapsed / NANOS_PER_MS + " ms");
        context.completeNow();
      }));
    });
  }

  @Test
  void aDeadlineSetWhileOthersExpireIsWatchedToo(Vertx vertx, VertxTestContext context) {
    vertx.runOnContext(v -> {
      Deadlines deadlines = new Deadlines(vertx);
      deadlines.after(20, () -> deadlines.after(20, () -> context.verify(() -> {
        context.completeNow();
      })));
    });
  }
}
