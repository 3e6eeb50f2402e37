package io.hookcast.schedule;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The body bytes one scheduler's lanes hold at once: deliveries handed over by accepts, claimed from the store, and
 * under way. Bounded in bytes rather than in deliveries, since one body may be as large as {@code http.maxBodyBytes}:
 * a lane's room counts deliveries, this counts their memory. When nothing is held a delivery is let through whatever
 * its size, so that no body larger than the budget waits forever. Safe from any thread: accepts reserve from the
 * store's thread.
 */
final class BodyBudget {

  private final long limit;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} if they fit, or if nothing is held. */
  boolean tryTake(long bytes) {
    long current;
    do {
      current = held.get();
      if (current > 0 && current + bytes > limit) {
        return false;
      }
    } while (!held.compareAndSet(current, current + bytes));
    return true;
  }

  /** What a claim may read now: the room left, or without bound when nothing is held. */
  long claimable() {
    long current = held.get();
    return current == 0 ? Long.MAX_VALUE : Math.max(0, limit - current);
  }

  /** Takes what a claim read, which {@link #claimable()} allowed. */
  void take(long bytes) {
    held.addAndGet(bytes);
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }
}
