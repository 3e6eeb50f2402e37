package io.hookcast.forward;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;

/**
 * Bounds the deliveries to one backend: at most {@code maxInFlight} running, at most {@code maxQueued} waiting.
 * Confined to its forwarder's context, so it needs no locking.
 */
final class DeliveryQueue {

  private final int maxInFlight;
  private final int maxQueued;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;
  private int releases;
  private boolean releasing;
  private Promise<Void> drained;

  DeliveryQueue(int maxInFlight, int maxQueued) {
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
  }

  /** Runs or queues {@code delivery}, which must call {@link #release()} when done; false when full. */
  boolean offer(Runnable delivery) {
    if (inFlight < maxInFlight) {
      inFlight++;
      delivery.run();
      return true;
    }
    if (waiting.size() < maxQueued) {
      waiting.add(delivery);
      return true;
    }
    return false;
  }

  /**
   * Hands the slot to the next waiter. A waiter can finish at once (its deadline passed, its circuit is open) and
   * release from inside this call; those releases are counted and handled by this loop rather than by nested
   * calls, so a long queue of such waiters cannot grow the stack.
   */
  void release() {
    releases++;
    if (releasing) {
      return;
    }
    releasing = true;
    try {
      while (releases > 0) {
        releases--;
        Runnable next = waiting.poll();
        if (next != null) {
          next.run();
        } else {
          inFlight--;
        }
      }
    } finally {
      releasing = false;
    }
    if (inFlight == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  /** Completes once nothing is running or waiting. */
  Future<Void> drained() {
    if (inFlight == 0 && waiting.isEmpty()) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }
}
