package io.hookcast.recent;

import java.util.List;

/**
 * A sync webhook as the ring keeps it.
 *
 * @param sequence   its place in the ring's history, so that a reader can tell a slot overwritten under it
 * @param requestId  the id every backend and the access log saw
 * @param route      the route's path prefix as configured
 * @param path       path and query as received
 * @param receivedAt epoch milliseconds
 * @param size       body size in bytes
 * @param status     the status the sender was answered
 * @param backends   the route's backends, in the order of {@code deliveries}
 * @param deliveries per backend, {@code null} where its delivery condition skipped it
 * @param traceParent the W3C {@code traceparent} its deliveries were children of, or {@code null} when untraced
 */
public record SyncWebhook(long sequence, String requestId, String route, String method, String path, long receivedAt, int size,
                          int status, List<String> backends, List<SyncDelivery> deliveries, String traceParent) {
}
