package io.hookcast.store;

import java.time.Instant;

/**
 * Where one backend's delivery of a message stands.
 *
 * @param attempts      attempts made so far
 * @param lastStatus    the last attempt's HTTP status, or {@code null}
 * @param lastError     the last attempt's error when it had no answer, or {@code null}
 * @param nextAttemptAt when pending: when it is due
 */
public record DeliverySummary(String backend, DeliveryStatus status, int attempts, Integer lastStatus, String lastError,
                              Instant nextAttemptAt) {
}
