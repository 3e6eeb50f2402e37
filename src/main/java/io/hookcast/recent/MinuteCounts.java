package io.hookcast.recent;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One backend's sync deliveries per minute over the last hour, delivered and failed: a ring of 60 buckets that a
 * new minute takes over. Lock-free for the hot path; a count made by another thread in the instant a bucket is
 * taken over for a new minute may be lost, which a per-minute chart does not show.
 */
public final class MinuteCounts {

  public static final int MINUTES = 60;
  private static final long MINUTE_MS = TimeUnit.MINUTES.toMillis(1);

  /** The minute (epoch milliseconds / 60 000) each bucket counts. */
  private final AtomicLongArray minutes = new AtomicLongArray(MINUTES);
  /** Delivered at 2i, failed at 2i + 1. */
  private final AtomicLongArray counts = new AtomicLongArray(2 * MINUTES);

  MinuteCounts() {
    for (int i = 0; i < MINUTES; i++) {
      minutes.set(i, -1);
    }
  }

  void add(long nowMillis, boolean delivered) {
    long minute = nowMillis / MINUTE_MS;
    int bucket = (int) (minute % MINUTES);
    long counted = minutes.get(bucket);
    if (counted != minute && minutes.compareAndSet(bucket, counted, minute)) {
      counts.set(2 * bucket, 0);
      counts.set(2 * bucket + 1, 0);
    }
    counts.incrementAndGet(2 * bucket + (delivered ? 0 : 1));
  }

  /**
   * Delivered and failed in the minute starting at {@code minuteStartMillis}; zeros for a minute older than the
   * last hour or not counted.
   */
  public long[] at(long minuteStartMillis) {
    long minute = minuteStartMillis / MINUTE_MS;
    int bucket = (int) (minute % MINUTES);
    if (minutes.get(bucket) != minute) {
      return new long[2];
    }
    return new long[] {counts.get(2 * bucket), counts.get(2 * bucket + 1)};
  }
}
