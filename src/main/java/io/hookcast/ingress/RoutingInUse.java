package io.hookcast.ingress;

import io.hookcast.route.Routing;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * A routing and the webhooks handed to its routes and not yet answered. A webhook's quick retries go to the
 * forwarder addresses of the routing it was handed to, also after a reload has replaced that routing: the forwarders
 * a reload retires must wait for {@link #replaced()}'s future, or those retries find no forwarder. On the ingress's
 * event loop only.
 */
final class RoutingInUse {

  private final Routing routing;
  private final Promise<Void> released = Promise.promise();
  private int delivering;
  private boolean replaced;

  RoutingInUse(Routing routing) {
    this.routing = routing;
  }

  Routing routing() {
    return routing;
  }

  /** A webhook was handed to one of its routes. */
  void took() {
    delivering++;
  }

  /** A webhook it took has been dealt with, retries and all. */
  void answered() {
    delivering--;
    if (replaced && delivering == 0) {
      released.tryComplete();
    }
  }

  /** No webhook is handed to it any more; completes once the last it took is dealt with. */
  Future<Void> replaced() {
    replaced = true;
    if (delivering == 0) {
      released.tryComplete();
    }
    return released.future();
  }
}
