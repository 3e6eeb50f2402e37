package io.hookcast.store;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.List;

/**
 * A webhook accepted on an asynchronous route, as it must be stored before the sender is answered 202.
 *
 * @param route       the matched route's path
 * @param method      HTTP method
 * @param uri         path and query as they are appended to each backend's base path
 * @param headers     the headers every backend receives
 * @param body        the body, byte for byte
 * @param backends    one delivery is recorded for each
 * @param senderId    the sender's own delivery id (dedup key), or {@code null}
 * @param dedupSince  a message of the same route and sender id accepted at or after this instant is a duplicate;
 *                    ignored when {@code senderId} is null
 * @param receivedAt  when the ingress received it
 * @param orderKey    the route's order key of this webhook ({@code routes[].order}), or {@code null}: its deliveries
 *                    are made one at a time per backend and key, in the order of acceptance; a U+0000 in it is kept as
 *                    U+FFFD ({@link StoredText})
 * @param traceParent the W3C {@code traceparent} its attempts are children of, or {@code null} when it is not traced
 */
public record NewMessage(String route, String method, String uri, MultiMap headers, Buffer body, List<String> backends,
                         String senderId, Instant dedupSince, Instant receivedAt, String orderKey, String traceParent) {

  public NewMessage {
    orderKey = StoredText.of(orderKey);
  }
}
