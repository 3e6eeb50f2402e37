package io.hookcast.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Batches concurrent writes of one kind (accepts, records, releases) into one transaction: while a batch commits, the
 * next one gathers, so a durable write (a file write or an fsync) is paid per batch, not per webhook. One batch is
 * written at a time. The queue is bounded: a full queue fails at once, so the sender is answered 503 rather than
 * waiting on a store that cannot keep up. Every wait is bounded too: an item still queued {@code timeoutMs} after its
 * submission fails (a sweep every {@link #SWEEP_DIVISOR}th of the timeout finds it), and a batch fails when its
 * oldest item reaches {@code timeoutMs}, so that a store that hangs answers its callers and the batches after it
 * get their turn. One timer per batch and one sweep, not one timer per item, so that an accept costs the event loop
 * no timer of its own. A batch is bounded in bytes as well as in items: the writer copies what it binds (a body into
 * a byte array for JDBC), so a batch of large bodies would need their size again in memory at once; one item larger
 * than the bound is a batch on its own. A batch that failed by the timeout may still be running (a store that hangs
 * holds it); at most {@link #MAX_UNFINISHED} of those at a time, and the next batch waits for one to end: each holds
 * its items, bodies included, and a store hung for minutes would otherwise gather one such batch per timeout. Where
 * the store ends a transaction that hangs (PostgreSQL closes its connection), a batch also stops counting once it
 * has run {@link #UNFINISHED_TIMEOUTS} timeouts, as a transaction that never ends (a connection whose peer is gone
 * without a word) must not stop every batch after it for good; on the embedded store nothing ends a JDBC call on a
 * disk that hangs, and every later batch would only wait behind it for the one writer, holding its bodies.
 *
 * <p>A commit delay, as PostgreSQL's {@code commit_delay} with its {@code commit_siblings}: when a batch of more than
 * one item commits and items are waiting, but fewer than a full batch, the next batch is written only after
 * {@code commitDelayMs}, so that more gather. Under load, a batch written the moment the previous one committed holds
 * only what arrived during that commit, and each batch pays a commit (a sync of the log) and, on the embedded store,
 * a round trip to a worker thread per statement. A batch of one says the load is light: what waits after it is
 * written at once, as is an item that finds the writer idle.
 *
 * @param <T> what is written
 * @param <R> what each write answers
 */
final class GroupCommit<T, R> {

  /**
   * An item waiting for its batch, and the context its caller must be answered on; answered once, with the rest of
   * its batch, by whichever of its commit and its timeout comes first (see {@link #answer}).
   */
  static final class Entry<T, R> {
    private final T item;
    private final Promise<R> promise;
    private final Context caller;
    private final long submittedNanos;
    private final AtomicBoolean answered = new AtomicBoolean();

    Entry(T item, Promise<R> promise, Context caller, long submittedNanos) {
      this.item = item;
      this.promise = promise;
      this.caller = caller;
      this.submittedNanos = submittedNanos;
    }

    T item() {
      return item;
    }

    long submittedNanos() {
      return submittedNanos;
    }
  }

  /** The sweep runs this many times per timeout: items are failed at most this fraction of it late. */
  static final int SWEEP_DIVISOR = 20;
  /**
   * Batches failed by the timeout whose transaction has not ended. Two, not one: on PostgreSQL a batch stuck on one
   * connection (a half-open socket) does not keep the next from committing on another.
   */
  static final int MAX_UNFINISHED = 2;
  /** How many timeouts an unfinished batch is counted for at most, where the store ends transactions that hang. */
  static final int UNFINISHED_TIMEOUTS = 3;

  private final Context context;
  private final int maxQueued;
  private final int maxBatch;
  private final ToLongFunction<T> bytes;
  private final long maxBatchBytes;
  /** What is waiting, for the error when the queue is full: "messages", "attempt records", "releases". */
  private final String waiting;
  private final Function<List<Entry<T, R>>, Future<List<R>>> writer;
  private final long timeoutMs;
  private final long commitDelayMs;
  private final boolean endsHungTransactions;
  private final ArrayDeque<Entry<T, R>> queue = new ArrayDeque<>();
  private boolean writing;
  private int unfinished;
  /** The next batch waits for an unfinished one to end. */
  private boolean held;
  /** Whether the next batch waits for the commit delay: then close() writes it at once. */
  private boolean delayed;
  private long delayTimer;
  private boolean closed;
  private final Promise<Void> drained = Promise.promise();
  private final long sweepTimer;

  /**
   * @param context       where batches are written
   * @param bytes         the size of an item, for {@code maxBatchBytes}
   * @param commitDelayMs how long a batch of fewer than {@code maxBatch} items waits for more after a batch of more
   *                      than one, 0 for never
   * @param endsHungTransactions whether the store ends a transaction that hangs, so that an unfinished batch stops
   *                             counting after {@link #UNFINISHED_TIMEOUTS} timeouts rather than at its end
   * @param writer        writes a batch in one transaction; its list answers the entries in order
   */
  GroupCommit(Context context, int maxQueued, int maxBatch, ToLongFunction<T> bytes, long maxBatchBytes, String waiting,
              long timeoutMs, long commitDelayMs, boolean endsHungTransactions, Function<List<Entry<T, R>>, Future<List<R>>> writer) {
    this.context = context;
    this.maxQueued = maxQueued;
    this.maxBatch = maxBatch;
    this.bytes = bytes;
    this.maxBatchBytes = maxBatchBytes;
    this.waiting = waiting;
    this.timeoutMs = timeoutMs;
    this.commitDelayMs = commitDelayMs;
    this.endsHungTransactions = endsHungTransactions;
    this.writer = writer;
    long period = Math.max(1, timeoutMs / SWEEP_DIVISOR);
    this.sweepTimer = context.owner().setPeriodic(period, period, id -> context.runOnContext(v -> sweep()));
  }

  Future<R> submit(T item) {
    Promise<R> promise = Promise.promise();
    boolean start;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new StoreUnavailableException("the store is closed", null));
      }
      if (queue.size() >= maxQueued) {
        return Future.failedFuture(new StoreUnavailableException(maxQueued + " " + waiting + " are already waiting to be stored", null));
      }
      queue.add(new Entry<>(item, promise, Vertx.currentContext(), System.nanoTime()));
      start = !writing;
      writing = true;
    }
    if (start) {
      context.runOnContext(v -> writeNext());
    }
    return promise.future();
  }

  /** Fails the items that have waited in the queue for the whole timeout: their store is not keeping up or hangs. */
  private void sweep() {
    List<Entry<T, R>> expired = new ArrayList<>();
    long now = System.nanoTime();
    synchronized (this) {
      while (!queue.isEmpty() && expired(queue.peek(), now)) {
        expired.add(queue.poll());
      }
    }
    if (!expired.isEmpty()) {
      answer(expired, null, notCommitted(null));
    }
  }

  private boolean expired(Entry<T, R> entry, long now) {
    return now - entry.submittedNanos() >= TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  private StoreUnavailableException notCommitted(Throwable cause) {
    return new StoreUnavailableException("the store did not commit within store.timeoutMs (" + timeoutMs + " ms)", cause);
  }

  /**
   * Whether the callers of {@code batch} have been answered that it failed (its oldest item has outlived the
   * timeout): a writer checks this before it commits, and rolls back, so that nothing refused is stored.
   */
  boolean outlived(List<Entry<T, R>> batch) {
    return !batch.isEmpty() && System.nanoTime() - batch.get(0).submittedNanos() >= TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /**
   * Takes up to {@code max} of the items still waiting (not those of a batch being written), oldest first: another
   * transaction writes them, and must {@link #answer} each.
   */
  List<Entry<T, R>> takeWaiting(int max) {
    List<Entry<T, R>> taken = new ArrayList<>();
    synchronized (this) {
      while (!queue.isEmpty() && taken.size() < max) {
        taken.add(queue.poll());
      }
    }
    return taken;
  }

  /** Refuses new items; completes once those queued are written. */
  Future<Void> close() {
    context.owner().cancelTimer(sweepTimer);
    synchronized (this) {
      closed = true;
      if (held) {
        // Waiting for a store that hangs to end a transaction: writeNext refuses what is queued now, not when it does.
        held = false;
        context.runOnContext(v -> writeNext());
      }
      if (delayed) {
        context.owner().cancelTimer(delayTimer);
        context.runOnContext(v -> writeDelayed());
      }
      if (writing) {
        return drained.future();
      }
    }
    drained.tryComplete();
    return drained.future();
  }

  private void writeNext() {
    List<Entry<T, R>> batch;
    List<Entry<T, R>> refused = null;
    synchronized (this) {
      if (unfinished >= MAX_UNFINISHED && !queue.isEmpty()) {
        if (!closed) {
          // The sweep answers what waits meanwhile.
          held = true;
          return;
        }
        // Closing, without a sweep: refused now rather than when the store ends a transaction.
        refused = new ArrayList<>(queue);
        queue.clear();
      }
      if (queue.isEmpty()) {
        writing = false;
        if (closed) {
          drained.tryComplete();
        }
        batch = null;
      } else {
        int size = nextBatchSize();
        batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          batch.add(queue.poll());
        }
      }
    }
    if (refused != null) {
      answer(refused, null, new StoreUnavailableException("the store is closing", null));
    }
    if (batch == null) {
      return;
    }
    // The batch has what is left of its oldest item's time: every item is answered within the timeout.
    long leftMs = timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - batch.get(0).submittedNanos());
    if (leftMs <= 0) {
      answer(batch, null, notCommitted(null));
      writeNext();
      return;
    }
    Future<List<R>> running;
    try {
      running = writer.apply(batch);
    } catch (RuntimeException e) {
      running = Future.failedFuture(e);
    }
    Future<List<R>> transaction = running;
    transaction.timeout(leftMs, TimeUnit.MILLISECONDS).onComplete(ar -> {
      if (ar.succeeded()) {
        answer(batch, ar.result(), null);
      } else if (ar.cause() instanceof TimeoutException) {
        // Unless its writer, having committed it, answered its callers a moment before.
        if (answer(batch, null, notCommitted(ar.cause())) && !transaction.isComplete()) {
          synchronized (this) {
            unfinished++;
          }
          (endsHungTransactions ? transaction.timeout(UNFINISHED_TIMEOUTS * timeoutMs, TimeUnit.MILLISECONDS) : transaction)
            .onComplete(endedOrGivenUp -> context.runOnContext(v -> unfinishedEnded()));
        }
      } else {
        answer(batch, null, new StoreUnavailableException("the store could not commit: " + ar.cause(), ar.cause()));
      }
      synchronized (this) {
        int next = nextBatchSize();
        // Delayed only while the next batch would take everything waiting and still have room.
        delayed = !closed && commitDelayMs > 0 && batch.size() > 1 && next > 0 && next == queue.size() && next < maxBatch;
        if (delayed) {
          delayTimer = context.owner().setTimer(commitDelayMs, id -> context.runOnContext(v -> writeDelayed()));
          return;
        }
      }
      writeNext();
    });
  }

  /**
   * How many of the items waiting, oldest first, the next batch takes: at most {@code maxBatch}, and at most
   * {@code maxBatchBytes} of them unless the first alone is larger. Called holding the lock.
   */
  private int nextBatchSize() {
    int taken = 0;
    long batchBytes = 0;
    for (Entry<T, R> entry : queue) {
      long size = bytes.applyAsLong(entry.item());
      if (taken == maxBatch || (taken > 0 && batchBytes + size > maxBatchBytes)) {
        break;
      }
      batchBytes += size;
      taken++;
    }
    return taken;
  }

  private void unfinishedEnded() {
    boolean resume;
    synchronized (this) {
      unfinished--;
      resume = held;
      held = false;
    }
    if (resume) {
      writeNext();
    }
  }

  /** The batch that waited for the commit delay: written once, by the timer or by close(), whichever comes first. */
  private void writeDelayed() {
    synchronized (this) {
      if (!delayed) {
        return;
      }
      delayed = false;
    }
    writeNext();
  }

  /**
   * Answers {@code entries} (with {@code results} in order, or all with {@code failure}), each on its caller's
   * context: one task per context, not one per item. Entries are answered as a whole, as they were taken together
   * (a batch, what the sweep or a closing store refuses, records carried by an accept), and once: whoever claims the
   * first of them answers them all. The timeout and the writer of a batch may try at the same moment, on two threads;
   * the writer, whose commit ended after the timeout answered its batch that it failed, learns so from {@code false},
   * and undoes it.
   *
   * @return whether they were answered now, not before
   */
  static <T, R> boolean answer(List<Entry<T, R>> entries, List<R> results, Throwable failure) {
    if (entries.isEmpty() || !entries.get(0).answered.compareAndSet(false, true)) {
      return entries.isEmpty();
    }
    Map<Context, List<Runnable>> byCaller = new IdentityHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry<T, R> entry = entries.get(i);
      R result = results == null ? null : results.get(i);
      Runnable complete = failure == null ? () -> entry.promise.tryComplete(result) : () -> entry.promise.tryFail(failure);
      if (entry.caller == null) {
        complete.run();
      } else {
        byCaller.computeIfAbsent(entry.caller, c -> new ArrayList<>()).add(complete);
      }
    }
    byCaller.forEach((caller, completions) -> caller.runOnContext(v -> completions.forEach(Runnable::run)));
    return true;
  }
}
