package io.hookcast.schedule;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The body bytes one scheduler's lanes hold at once: deliveries handed over by accepts, claimed from the store, and
 * under way. Bounded in bytes rather than in deliveries, since one body may be as large as {@code http.maxBodyBytes}:
 * a lane's room counts deliveries, this counts their memory. A claim sets its bytes aside before it reads (its lanes
 * claim at once on the same tick, and each would otherwise see the same room), a share of what is left so that every
 * lane with a backlog gets some, though never less than {@code minShare} while that much is left, so that a share
 * still holds a large body. When nothing at all is held, a claim may take one delivery whatever its size, so that no
 * body larger than the budget waits forever. Safe from any thread: accepts reserve from the store's thread.
 */
final class BodyBudget {

  /**
   * Bytes set aside for one claim.
   *
   * @param anySize whether the claim may take its first delivery beyond {@code bytes}: nothing else was held
   */
  record Claimable(long bytes, boolean anySize) {
    static final Claimable NONE = new Claimable(0, false);
  }

  private final long limit;
  private final int sharers;
  private final long minShare;
  private final AtomicLong held = new AtomicLong();

  /**
   * @param sharers  the lanes that claim from it
   * @param minShare what one claim may set aside at least, while that much is left: the largest body a webhook may have
   */
  BodyBudget(long limit, int sharers, long minShare) {
    this.limit = limit;
    this.sharers = Math.max(1, sharers);
    this.minShare = minShare;
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

  /** Sets aside what one claim may read: a share of the room left, {@link Claimable#NONE} when none is. */
  Claimable setAside() {
    long current;
    long bytes;
    do {
      current = held.get();
      long room = limit - current;
      if (room <= 0) {
        return Claimable.NONE;
      }
      bytes = Math.min(room, Math.max(minShare, room / sharers));
    } while (!held.compareAndSet(current, current + bytes));
    return new Claimable(bytes, current == 0);
  }

  /** A claim that set {@code setAside} aside took {@code taken} bytes, which are now held; the rest is given back. */
  void claimed(Claimable setAside, long taken) {
    held.addAndGet(taken - setAside.bytes());
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }
}
