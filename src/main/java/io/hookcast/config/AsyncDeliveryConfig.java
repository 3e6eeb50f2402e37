package io.hookcast.config;

import java.util.List;

/**
 * {@code delivery.async} of the configuration; each key's meaning, range and default: docs/configuration.md, generated
 * from the schema.
 *
 * @param scheduleMs {@code schedule}, each wait in milliseconds
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
