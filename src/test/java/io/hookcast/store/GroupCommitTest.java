package io.hookcast.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link GroupCommit} cuts batches (the commit delay, the byte bound), with a writer whose commits the test makes.
 * A test whose batch waited for a delay of {@link #LONG_DELAY_MS}, or never came, fails by the test context's timeout.
 */
@ExtendWith(VertxExtension.class)
class GroupCommitTest {

  private static final long TIMEOUT_MS = 30_000;
  /** Longer than any of these tests runs: a batch written at all was not held back by it. */
  private static final long LONG_DELAY_MS = 60_000;

  /** Notes each batch it is given; commits one when the test says. Used on one context only. */
  private static final class Writer {
    final List<List<String>> batches = new ArrayList<>();
    private final List<Promise<List<String>>> commits = new ArrayList<>();
    private final List<Promise<Void>> written = new ArrayList<>();

    Future<List<String>> write(List<GroupCommit.Entry<String, String>> batch) {
      batches.add(batch.stream().map(GroupCommit.Entry::item).toList());
      Promise<List<String>> commit = Promise.promise();
      commits.add(commit);
      written(batches.size() - 1).complete();
      return commit.future();
    }

    /** Completes when the {@code index}th batch (from 0) is given to the writer. */
    Promise<Void> written(int index) {
      while (written.size() <= index) {
        written.add(Promise.promise());
      }
      return written.get(index);
    }

    /** Commits the {@code index}th batch, answering each item with itself. */
    void commit(int index) {
      commits.get(index).complete(batches.get(index));
    }
  }

  /** Runs {@code steps} on one context, with a group commit of batches of {@code maxBatch} and the writer it writes with. */
  private static void onContext(Vertx vertx, int maxBatch, long commitDelayMs,
                                BiConsumer<GroupCommit<String, String>, Writer> steps) {
    onContext(vertx, maxBatch, Long.MAX_VALUE, commitDelayMs, steps);
  }

  /** As above, with batches of at most {@code maxBatchBytes}, an item's size being its length. */
  private static void onContext(Vertx vertx, int maxBatch, long maxBatchBytes, long commitDelayMs,
                                BiConsumer<GroupCommit<String, String>, Writer> steps) {
    Context context = vertx.getOrCreateContext();
    Writer writer = new Writer();
    context.runOnContext(v -> steps.accept(new GroupCommit<>(context, 1_000, maxBatch, String::length, maxBatchBytes,
      "items", TIMEOUT_MS, commitDelayMs, true, writer::write), writer));
  }

  /** Submits a1 and a2, which the writer gets as one batch: a load, after which the delay applies. */
  private static Future<Void> batchOfTwo(GroupCommit<String, String> commits, Writer writer) {
    commits.submit("a1");
    commits.submit("a2");
    return writer.written(0).future();
  }

  @Test
  void itemsThatCameDuringACommitWaitTheDelayForMore(Vertx vertx, VertxTestContext test) {
    onContext(vertx, 100, 1_000, (commits, writer) -> {
      batchOfTwo(commits, writer).onSuccess(first -> {
        Future<String> b = commits.submit("b");
        commits.submit("c");
        writer.commit(0);
        vertx.setTimer(200, id -> test.verify(() -> {
          // Without the delay, b and c would have been written the moment a1 and a2 committed.
          assertEquals(List.of(List.of("a1", "a2")), writer.batches);
          Future<String> d = commits.submit("d");
          writer.written(1).future().onSuccess(second -> test.verify(() -> {
            assertEquals(List.of(List.of("a1", "a2"), List.of("b", "c", "d")), writer.batches);
            writer.commit(1);
            Future.all(b, d).onComplete(test.succeeding(all -> test.verify(() -> {
              assertEquals(List.of("b", "d"), List.of(b.result(), d.result()));
              test.completeNow();
            })));
          }));
        }));
      });
    });
  }

  @Test
  void anItemThatFindsTheWriterIdleIsWrittenAtOnce(Vertx vertx, VertxTestContext test) {
    onContext(vertx, 100, LONG_DELAY_MS, (commits, writer) -> {
      commits.submit("a").onSuccess(a -> {
        // Nothing was waiting when "a" committed: the next item does not wait for the delay.
        commits.submit("b").onComplete(test.succeedingThenComplete());
        writer.written(1).future().onSuccess(second -> writer.commit(1));
      });
      writer.written(0).future().onSuccess(first -> writer.commit(0));
    });
  }

  @Test
  void whatWaitsAfterABatchOfOneIsWrittenAtOnce(Vertx vertx, VertxTestContext test) {
    onContext(vertx, 100, LONG_DELAY_MS, (commits, writer) -> {
      commits.submit("a");
      writer.written(0).future().onSuccess(first -> {
        // A light load: one item per commit, and one more came during it.
        Future<String> b = commits.submit("b");
        writer.commit(0);
        writer.written(1).future().onSuccess(second -> {
          writer.commit(1);
          b.onComplete(test.succeedingThenComplete());
        });
      });
    });
  }

  @Test
  void aFullBatchIsWrittenWithoutTheDelay(Vertx vertx, VertxTestContext test) {
    assertTheNextBatchIsWrittenAtOnce(vertx, test, 2, Long.MAX_VALUE, List.of("b", "c"), List.of("b", "c"));
  }

  /**
   * After a batch of two, {@code waiting} come during its commit; the next batch, {@code written}, is full by count or
   * bytes, so it does not wait for the delay.
   */
  private static void assertTheNextBatchIsWrittenAtOnce(Vertx vertx, VertxTestContext test, int maxBatch, long maxBatchBytes,
                                                        List<String> waiting, List<String> written) {
    onContext(vertx, maxBatch, maxBatchBytes, LONG_DELAY_MS, (commits, writer) -> {
      batchOfTwo(commits, writer).onSuccess(first -> {
        waiting.forEach(commits::submit);
        writer.commit(0);
      });
      writer.written(1).future().onSuccess(second -> test.verify(() -> {
        assertEquals(List.of(List.of("a1", "a2"), written), writer.batches);
        test.completeNow();
      }));
    });
  }

  @Test
  void closingWritesTheBatchThatWaitsForTheDelay(Vertx vertx, VertxTestContext test) {
    onContext(vertx, 100, LONG_DELAY_MS, (commits, writer) -> {
      batchOfTwo(commits, writer).onSuccess(first -> {
        Future<String> b = commits.submit("b");
        writer.commit(0);
        Future<Void> closed = commits.close();
        writer.written(1).future().onSuccess(second -> test.verify(() -> {
          assertEquals(List.of(List.of("a1", "a2"), List.of("b")), writer.batches);
          writer.commit(1);
          Future.all(b, closed).onComplete(test.succeedingThenComplete());
        }));
      });
    });
  }

  @Test
  void aBatchStopsAtTheByteBoundAndAnItemLargerThanItIsABatchOfItsOwn(Vertx vertx, VertxTestContext test) {
    onContext(vertx, 100, 4, 0, (commits, writer) -> {
      commits.submit("a");
      writer.written(0).future().onSuccess(first -> {
        commits.submit("bb");
        commits.submit("cc");
        commits.submit("d");
        commits.submit("eeeeee");
        commits.submit("f");
        for (int i = 0; i < 4; i++) {
          int index = i;
          writer.written(i).future().onSuccess(written -> writer.commit(index));
        }
        writer.written(4).future().onSuccess(last -> test.verify(() -> {
          // bb and cc fill the 4 bytes; d starts the next batch, which eeeeee (6 bytes) does not fit; eeeeee alone.
          assertEquals(List.of(List.of("a"), List.of("bb", "cc"), List.of("d"), List.of("eeeeee"), List.of("f")), writer.batches);
          test.completeNow();
        }));
      });
    });
  }

  @Test
  void aBatchTheByteBoundFillsIsWrittenWithoutTheDelay(Vertx vertx, VertxTestContext test) {
    assertTheNextBatchIsWrittenAtOnce(vertx, test, 100, 4, List.of("bb", "cc", "d"), List.of("bb", "cc"));
  }

  private static final long HUNG_TIMEOUT_MS = 200;

  /**
   * A store that hangs: on one context, with a timeout of {@link #HUNG_TIMEOUT_MS}, a is submitted, b once a failed by
   * the timeout, c once b did; no transaction ends unless the test ends it. {@code steps} get c's outcome.
   */
  private static void againstAHungStore(Vertx vertx, TriConsumer steps) {
    againstAHungStore(vertx, true, steps);
  }

  /** As above, on a store that does or does not end a transaction that hangs. */
  private static void againstAHungStore(Vertx vertx, boolean endsHungTransactions, TriConsumer steps) {
    Context context = vertx.getOrCreateContext();
    Writer writer = new Writer();
    context.runOnContext(v -> {
      GroupCommit<String, String> commits = hungStore(context, writer, endsHungTransactions);
      steps.accept(commits, writer, commits.submit("a")
        .recover(timedOut -> commits.submit("b"))
        .recover(timedOut -> commits.submit("c")));
    });
  }

  private static GroupCommit<String, String> hungStore(Context context, Writer writer, boolean endsHungTransactions) {
    return new GroupCommit<>(context, 1_000, 100, String::length, Long.MAX_VALUE, "items", HUNG_TIMEOUT_MS, 0,
      endsHungTransactions, writer::write);
  }

  private interface TriConsumer {
    void accept(GroupCommit<String, String> commits, Writer writer, Future<String> c);
  }

  @Test
  void againstAStoreThatHangsAtMostTwoFailedBatchesAreLeftRunningAndTheNextWaitsForOneToEnd(Vertx vertx, VertxTestContext test) {
    againstAHungStore(vertx, (commits, writer, c) -> c.onComplete(test.failing(refused -> test.verify(() -> {
      assertEquals(List.of(List.of("a"), List.of("b")), writer.batches, "c was handed to a store still holding two batches");
      // The store ends a's transaction: what comes next is written again.
      writer.commit(0);
      commits.submit("d");
      writer.written(2).future().onComplete(test.succeeding(written -> test.verify(() -> {
        assertEquals(List.of("d"), writer.batches.get(2));
        test.completeNow();
      })));
    }))));
  }

  /** A transaction that never ends (a connection whose peer is gone without a word) holds no batch back for good. */
  @Test
  void anUnfinishedBatchHoldsTheNextBackForThreeTimeoutsAtMost(Vertx vertx, VertxTestContext test) {
    againstAHungStore(vertx, (commits, writer, c) -> c.onComplete(test.failing(refused ->
      vertx.timer(GroupCommit.UNFINISHED_TIMEOUTS * HUNG_TIMEOUT_MS).onComplete(test.succeeding(later -> {
        commits.submit("d");
        writer.written(2).future().onComplete(test.succeeding(written -> test.verify(() -> {
          assertEquals(List.of(List.of("a"), List.of("b"), List.of("d")), writer.batches);
          test.completeNow();
        })));
      })))));
  }

  /**
   * On a store that nothing ends a hung transaction of (the embedded store's JDBC on a disk that hangs), the next batch
   * waits for one to end however long it takes: handed over, it would only wait behind them for the writer, holding its
   * items, and the batches after it likewise, one per timeout, for as long as the disk hangs.
   */
  @Test
  void whereNothingEndsAHungTransactionTheNextBatchWaitsForOneToEndHoweverLong(Vertx vertx, VertxTestContext test) {
    againstAHungStore(vertx, false, (commits, writer, c) -> c.onComplete(test.failing(refused ->
      vertx.timer(GroupCommit.UNFINISHED_TIMEOUTS * HUNG_TIMEOUT_MS).onComplete(test.succeeding(later -> {
        Future<String> d = commits.submit("d");
        vertx.timer(HUNG_TIMEOUT_MS / 2).onComplete(test.succeeding(meanwhile -> test.verify(() -> {
          assertEquals(List.of(List.of("a"), List.of("b")), writer.batches, "d was handed to a store still holding two batches");
          writer.commit(0);
          writer.written(2).future().onComplete(test.succeeding(written -> test.verify(() -> {
            assertEquals(List.of("d"), writer.batches.get(2));
            assertTrue(!d.isComplete(), "d was answered before its batch committed: " + d);
            test.completeNow();
          })));
        })));
      })))));
  }

  /** Closing (which stops the sweep) while the next batch waits for a hung store refuses what waits, and completes. */
  @Test
  void closingWhileTheNextBatchWaitsForAHungStoreRefusesItAtOnce(Vertx vertx, VertxTestContext test) {
    Context context = vertx.getOrCreateContext();
    Writer writer = new Writer();
    context.runOnContext(v -> {
      GroupCommit<String, String> commits = hungStore(context, writer, true);
      commits.submit("a").recover(timedOut -> commits.submit("b")).onComplete(test.failing(timedOut -> {
        Future<String> c = commits.submit("c");
        Future.all(c.otherwiseEmpty(), commits.close()).onComplete(test.succeeding(closed -> test.verify(() -> {
          assertTrue(c.cause() instanceof StoreUnavailableException, String.valueOf(c.cause()));
          assertEquals(List.of(List.of("a"), List.of("b")), writer.batches);
          test.completeNow();
        })));
      }));
    });
  }
}
