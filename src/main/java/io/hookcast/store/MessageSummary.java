package io.hookcast.store;

import java.time.Instant;
import java.util.List;

/**
 * A stored message as a list shows it.
 *
 * @param path     the path and query it was received on
 * @param size     body size in bytes
 * @param senderId the sender's id (deduplication key), or {@code null}
 */
public record MessageSummary(String id, String route, String method, String path, Instant receivedAt, int size,
                             String senderId, List<DeliverySummary> deliveries) {
}
