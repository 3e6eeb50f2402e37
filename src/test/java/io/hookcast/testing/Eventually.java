package io.hookcast.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits on a test thread (never an event loop) for something that other processes or threads make true. */
public final class Eventually {

  private static final long POLL_MS = 50;

  private Eventually() {
  }

  /** Returns once {@code condition} holds; fails with {@code state} (what was seen instead) when it did not in time. */
  public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout + ": " + state.get());
      }
      Thread.sleep(POLL_MS);
    }
  }
}
