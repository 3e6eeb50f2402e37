package io.hookcast.store;

import java.time.Instant;

/**
 * Which messages an operator means. Every part is optional ({@code null}); those given must all hold.
 *
 * @param route    the route's path prefix as configured
 * @param backend  has a delivery to this backend
 * @param status   has a delivery in this status (to {@code backend} when that is given)
 * @param senderId the sender's id (the deduplication key)
 * @param since    received at or after
 * @param until    received before
 */
public record MessageQuery(String route, String backend, DeliveryStatus status, String senderId, Instant since,
                           Instant until) {

  public static final MessageQuery ALL = new MessageQuery(null, null, null, null, null, null);
}
