package io.hookcast.store;

import java.time.Instant;

/**
 * Deliveries to one backend that are not over yet (pending or being attempted).
 *
 * @param backend          the backend
 * @param deliveries       how many
 * @param oldestReceivedAt when the oldest of their messages was received
 */
public record Backlog(String backend, long deliveries, Instant oldestReceivedAt) {
}
