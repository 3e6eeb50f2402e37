package io.hookcast.config;

import java.util.List;

/**
 * How asynchronous deliveries are retried and shared between nodes.
 *
 * @param scheduleMs waits before each retry (the first attempt is immediate); after the last one the delivery is dead
 * @param leaseMs    how long a node owns a delivery it claimed; a dead node's deliveries are taken over after it
 */
public record AsyncDeliveryConfig(List<Long> scheduleMs, long leaseMs) {

  /** Five seconds, five minutes, half an hour, then hours: a backend down over a night still gets everything. */
  public static final List<Long> DEFAULT_SCHEDULE_MS = List.of(5_000L, 300_000L, 1_800_000L, 7_200_000L, 18_000_000L,
    36_000_000L, 36_000_000L);

  public AsyncDeliveryConfig {
    scheduleMs = List.copyOf(scheduleMs);
  }

  /** Attempts in all: the first plus one per wait. */
  public int maxAttempts() {
    return scheduleMs.size() + 1;
  }
}
