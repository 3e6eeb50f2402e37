package io.hookcast.admin.api;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.recent.MinuteCounts;
import io.hookcast.recent.RecentSync;
import io.hookcast.store.ActivityCount;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Deliveries per minute, delivered and failed, joined from the two places they are counted: the store's attempts of
 * async routes (every node's) and this node's sync deliveries (in memory, the last hour).
 *
 * @param firstMinute the start of the oldest minute counted
 * @param minutes     how many minutes, the current one last
 */
record Activity(Instant firstMinute, int minutes, List<ActivityCount> stored, RecentSync recent) {

  static final long MINUTE_MS = TimeUnit.MINUTES.toMillis(1);

  /** Delivered and failed in one minute, or by one backend. */
  record Counts(long delivered, long failed) {

    Counts plus(long delivered, long failed) {
      return new Counts(this.delivered + delivered, this.failed + failed);
    }

    /** Delivered out of all, or {@code null} when there was nothing. */
    Double successRate() {
      return delivered + failed == 0 ? null : (double) delivered / (delivered + failed);
    }
  }

  /** The first minute of a window of {@code minutes} ending with the current one. */
  static Instant firstMinute(Instant now, int minutes) {
    long current = now.toEpochMilli() / MINUTE_MS * MINUTE_MS;
    return Instant.ofEpochMilli(current - (minutes - 1) * MINUTE_MS);
  }

  /** Every minute of the window, oldest first, including those with nothing. */
  Counts[] perMinute() {
    Counts[] counts = new Counts[minutes];
    long first = firstMinute.toEpochMilli();
    for (int i = 0; i < minutes; i++) {
      counts[i] = new Counts(0, 0);
      for (MinuteCounts sync : recent.minutesByBackend().values()) {
        long[] minute = sync.at(first + i * MINUTE_MS);
        counts[i] = counts[i].plus(minute[0], minute[1]);
      }
    }
    for (ActivityCount count : stored) {
      int i = (int) ((count.minute().toEpochMilli() - first) / MINUTE_MS);
      if (i >= 0 && i < minutes) {
        counts[i] = add(counts[i], count);
      }
    }
    return counts;
  }

  /** Over the whole window, per backend that had any. */
  Map<String, Counts> perBackend() {
    Map<String, Counts> counts = new HashMap<>();
    long first = firstMinute.toEpochMilli();
    recent.minutesByBackend().forEach((backend, sync) -> {
      Counts total = new Counts(0, 0);
      for (int i = 0; i < minutes; i++) {
        long[] minute = sync.at(first + i * MINUTE_MS);
        total = total.plus(minute[0], minute[1]);
      }
      counts.put(backend, total);
    });
    for (ActivityCount count : stored) {
      if (!count.minute().isBefore(firstMinute)) {
        counts.put(count.backend(), add(counts.getOrDefault(count.backend(), new Counts(0, 0)), count));
      }
    }
    return counts;
  }

  private static Counts add(Counts counts, ActivityCount count) {
    return count.outcome() == AttemptOutcome.DELIVERED ? counts.plus(count.attempts(), 0) : counts.plus(0, count.attempts());
  }
}
