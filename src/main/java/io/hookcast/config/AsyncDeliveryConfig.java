package io.hookcast.config;

import java.util.List;

/**
 * How asynchronous deliveries are retried and shared between nodes.
 *
 * @param scheduleMs waits before each retry (the first attempt is immediate); after the last one the delivery is dead
 * @param leaseMs    how long a node owns a delivery it claimed; a dead node's deliveries are taken over after it
 */
public record AsyncDeliveryConfig(List<Long> scheduleMs, long leaseMs) {

  public AsyncDeliveryConfig {
    scheduleMs = List.copyOf(scheduleMs);
  }

  /** Attempts in all: the first plus one per wait. */
  public int maxAttempts() {
    return scheduleMs.size() + 1;
  }
}
