package io.hookcast.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The order in which transactions get the embedded store's one writer connection: accepts before claims and attempt
 * records. A sender waits for its 202 on its accept; a claim or a record only paces the delivery of what is stored
 * already. In the order of arrival, an accept during a drain waited for every claim and record queued ahead of it.
 * One transaction at a time, as the connection takes them anyway; each starts on the context of whoever asked for it,
 * so its callbacks run where its caller expects them.
 */
final class WriterTurns {

  private final boolean ordered;
  private final ArrayDeque<Runnable> accepts = new ArrayDeque<>();
  private final ArrayDeque<Runnable> others = new ArrayDeque<>();
  private boolean busy;

  private WriterTurns(boolean ordered) {
    this.ordered = ordered;
  }

  /** For a store with one writer connection: one transaction at a time, accepts first. */
  static WriterTurns acceptsFirst() {
    return new WriterTurns(true);
  }

  /** For a store whose pool has connections enough: every transaction starts at once, in the pool's order. */
  static WriterTurns asTheyCome() {
    return new WriterTurns(false);
  }

  <T> Future<T> accept(Supplier<Future<T>> transaction) {
    return take(accepts, transaction);
  }

  /** A claim, an attempt record, a release: anything the sender of a webhook does not wait for. */
  <T> Future<T> other(Supplier<Future<T>> transaction) {
    return take(others, transaction);
  }

  private <T> Future<T> take(ArrayDeque<Runnable> queue, Supplier<Future<T>> transaction) {
    if (!ordered) {
      return transaction.get();
    }
    Promise<T> promise = Promise.promise();
    Context caller = Vertx.currentContext();
    Runnable turn = () -> {
      if (caller == null) {
        run(transaction, promise);
      } else {
        caller.runOnContext(v -> run(transaction, promise));
      }
    };
    boolean now;
    synchronized (this) {
      now = !busy;
      if (now) {
        busy = true;
      } else {
        queue.add(turn);
      }
    }
    if (now) {
      // Already on the caller's context: no hop when nobody waits.
      run(transaction, promise);
    }
    return promise.future();
  }

  private <T> void run(Supplier<Future<T>> transaction, Promise<T> promise) {
    Future<T> done;
    try {
      done = transaction.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(ar -> {
      next();
      promise.handle(ar);
    });
  }

  private void next() {
    Runnable turn;
    synchronized (this) {
      turn = accepts.isEmpty() ? others.poll() : accepts.poll();
      if (turn == null) {
        busy = false;
        return;
      }
    }
    turn.run();
  }
}
