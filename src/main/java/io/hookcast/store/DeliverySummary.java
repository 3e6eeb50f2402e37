package io.hookcast.store;

import java.time.Instant;

/**
 * Where one backend's delivery of a message stands.
 *
 * @param attempts      attempts made so far
 * @param lastStatus    the last attempt's HTTP status, or {@code null}
 * @param lastError     the last attempt's error when it had no answer, or {@code null}
 * @param nextAttemptAt when pending: when it is due
 * @param orderKey      its order key ({@code routes[].order}), or {@code null}
 * @param waitingFor    when pending behind its key: the earliest other message of the key whose delivery is under way
 *                      or, if earlier, still pending; else {@code null}
 */
public record DeliverySummary(String backend, DeliveryStatus status, int attempts, Integer lastStatus, String lastError,
                              Instant nextAttemptAt, String orderKey, String waitingFor) {
}
