package io.hookcast.store;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.List;
import java.util.Map;

/**
 * A message with all that is known of it.
 *
 * @param attempts    every attempt per backend, in the order they were made
 * @param traceParent the W3C {@code traceparent} its attempts are children of, or {@code null} when it was accepted
 *                    untraced
 */
public record MessageDetail(MessageSummary summary, MultiMap headers, Buffer body,
                            Map<String, List<StoredAttempt>> attempts, String traceParent) {
}
