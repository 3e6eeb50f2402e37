package io.hookcast.store;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;

/**
 * A delivery leased to one owner, with its message.
 *
 * @param messageId  the message id, the same for every backend and attempt
 * @param backend    the backend to deliver to
 * @param attempt    the number of the attempt this lease is for (1 for the first)
 * @param leaseToken identifies this lease; a result is recorded only while the delivery still carries it
 * @param method     HTTP method
 * @param uri        path and query
 * @param headers    the stored headers
 * @param body       the body
 * @param receivedAt when the ingress received the message
 * @param recorded   the number of its last attempt with an outcome written (0 for none): those after it were claimed
 *                   and the process ended during them
 * @param manual     whether an operator asked for this attempt ({@link DeliveryOperations#retry})
 * @param ordered    whether it has an order key: the next delivery of its backend and key waits until it is recorded
 * @param traceParent the W3C {@code traceparent} stored with the message, or {@code null}: its attempts' parent
 */
public record ClaimedDelivery(String messageId, String backend, int attempt, String leaseToken, String method, String uri,
                              MultiMap headers, Buffer body, Instant receivedAt, int recorded, boolean manual,
                              boolean ordered, String traceParent) {
}
