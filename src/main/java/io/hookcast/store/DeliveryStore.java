package io.hookcast.store;

import io.vertx.core.Future;

/**
 * The durable side of asynchronous routes. The ingress only ever calls {@link #accept}; the scheduler claims what is
 * due, delivers it through the forwarders and records each attempt. Implementations run on the Vert.x SQL client.
 */
public interface DeliveryStore {

  /**
   * Stores the message and one pending delivery per backend in one committed transaction, or fails (the store is
   * down, full or over quota) with nothing stored: the caller answers 503. Completes only once committed durably.
   */
  Future<Accepted> accept(NewMessage message);

  Future<Void> close();
}
