package io.hookcast.schedule;

import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * The waits before each retry of one backend's deliveries. A wait is spread by ±{@value #JITTER_PERCENT}% so that the
 * deliveries a backend failed together are not all retried in the same instant when it comes back.
 *
 * @param waitsMs the wait before attempt 2, 3, ...; after the last one the delivery is dead
 */
public record RetrySchedule(List<Long> waitsMs) {

  static final int JITTER_PERCENT = 20;

  public RetrySchedule {
    waitsMs = List.copyOf(waitsMs);
  }

  /** Attempts in all: the first, immediate one, plus one per wait. */
  public int maxAttempts() {
    return waitsMs.size() + 1;
  }

  /** The jittered wait after failed attempt {@code attempt} (1-based), or empty when it was the last. */
  public OptionalLong waitAfter(int attempt, RandomGenerator random) {
    if (attempt >= maxAttempts()) {
      return OptionalLong.empty();
    }
    long wait = waitsMs.get(attempt - 1);
    long spread = wait * JITTER_PERCENT / 100;
    return OptionalLong.of(spread == 0 ? wait : wait - spread + random.nextLong(2 * spread + 1));
  }
}
