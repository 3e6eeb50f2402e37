package io.hookcast.testing;

import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * The longest an event loop went without running its tasks: a timer on it, due every few milliseconds, notes the
 * longest time between two of its firings. On a Vert.x of one event loop, that loop is every verticle's.
 */
public final class LoopStalls {

  private static final long PERIOD_MS = 2;

  private final Vertx vertx;
  private final long timer;
  /** Written on the event loop, read by the test thread. */
  private volatile long lastFiredNanos = System.nanoTime();
  private volatile long longestNanos;

  private LoopStalls(Vertx vertx) {
    this.vertx = vertx;
    this.timer = vertx.setPeriodic(PERIOD_MS, id -> {
      long now = System.nanoTime();
      longestNanos = Math.max(longestNanos, now - lastFiredNanos);
      lastFiredNanos = now;
    });
  }

  public static LoopStalls watch(Vertx vertx) {
    return new LoopStalls(vertx);
  }

  /** Stops watching; the longest stall seen, counting the one under way, if any. */
  public long stopMs() {
    vertx.cancelTimer(timer);
    long longest = Math.max(longestNanos, System.nanoTime() - lastFiredNanos);
    return TimeUnit.NANOSECONDS.toMillis(longest);
  }
}
