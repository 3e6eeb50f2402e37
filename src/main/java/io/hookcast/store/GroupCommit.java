package io.hookcast.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Batches concurrent writes of one kind (accepts, attempt records) into one transaction: while a batch commits, the
 * next one gathers, so a durable write (a file write or an fsync) is paid per batch, not per webhook. One batch is
 * written at a time. The queue is bounded: a full queue fails at once, so the sender is answered 503 rather than
 * waiting on a store that cannot keep up. Every wait is bounded too: an item not written within {@code timeoutMs}
 * of its submission fails (and is then left out of the batches), and a batch whose write does not complete within
 * {@code timeoutMs} fails, so that a store that hangs answers its callers and the batches after it get their turn.
 *
 * @param <T> what is written
 * @param <R> what each write answers
 */
final class GroupCommit<T, R> {

  /** An item waiting for its batch, and the context its caller must be answered on. */
  record Entry<T, R>(T item, Promise<R> promise, Context caller, long submittedNanos) {
  }

  private final Context context;
  private final int maxQueued;
  private final int maxBatch;
  /** What is waiting, for the error when the queue is full: "messages", "attempt records". */
  private final String waiting;
  private final Function<List<Entry<T, R>>, Future<List<R>>> writer;
  private final long timeoutMs;
  private final ArrayDeque<Entry<T, R>> queue = new ArrayDeque<>();
  private boolean writing;
  private boolean closed;
  private final Promise<Void> drained = Promise.promise();

  /**
   * @param context where batches are written
   * @param writer  writes a batch in one transaction; its list answers the entries in order
   */
  GroupCommit(Context context, int maxQueued, int maxBatch, String waiting, long timeoutMs,
              Function<List<Entry<T, R>>, Future<List<R>>> writer) {
    this.context = context;
    this.maxQueued = maxQueued;
    this.maxBatch = maxBatch;
    this.waiting = waiting;
    this.timeoutMs = timeoutMs;
    this.writer = writer;
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
    return promise.future().timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .recover(failure -> Future.failedFuture(failure instanceof StoreUnavailableException ? failure
        : new StoreUnavailableException("the store did not commit within store.timeoutMs (" + timeoutMs + " ms)", failure)));
  }

  /**
   * Whether the callers of {@code batch} have been answered that it failed (its oldest item has outlived the
   * timeout): a writer checks this before it commits, and rolls back, so that nothing refused is stored.
   */
  boolean outlived(List<Entry<T, R>> batch) {
    return !batch.isEmpty() && System.nanoTime() - batch.get(0).submittedNanos() >= TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  /** Refuses new items; completes once those queued are written. */
  Future<Void> close() {
    synchronized (this) {
      closed = true;
      if (writing) {
        return drained.future();
      }
    }
    drained.tryComplete();
    return drained.future();
  }

  private void writeNext() {
    List<Entry<T, R>> batch;
    synchronized (this) {
      if (queue.isEmpty()) {
        writing = false;
        if (closed) {
          drained.tryComplete();
        }
        return;
      }
      batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
      long now = System.nanoTime();
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        Entry<T, R> entry = queue.poll();
        // Its caller has been told it failed: writing it now would store what was refused.
        if (now - entry.submittedNanos() < TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
          batch.add(entry);
        }
      }
    }
    if (batch.isEmpty()) {
      writeNext();
      return;
    }
    Future<List<R>> written;
    try {
      written = writer.apply(batch).timeout(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      written = Future.failedFuture(e);
    }
    written.onComplete(ar -> {
      for (int i = 0; i < batch.size(); i++) {
        Entry<T, R> entry = batch.get(i);
        if (ar.succeeded()) {
          answer(entry, ar.result().get(i), null);
        } else {
          answer(entry, null, new StoreUnavailableException("the store could not commit: " + ar.cause(), ar.cause()));
        }
      }
      writeNext();
    });
  }

  private static <T, R> void answer(Entry<T, R> entry, R result, Throwable failure) {
    Runnable complete = () -> {
      if (failure == null) {
        entry.promise.complete(result);
      } else {
        entry.promise.fail(failure);
      }
    };
    if (entry.caller == null) {
      complete.run();
    } else {
      entry.caller.runOnContext(v -> complete.run());
    }
  }
}
