package io.hookcast.ingress;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * Whether this ingress takes a new webhook: not while draining for shutdown, nor past the node's budget of
 * webhooks in progress. Counts what it let in, so that a drain completes once those are answered.
 * Confined to one ingress verticle's event loop.
 */
final class Admission {

  private final IngressLimits limits;
  private int inProgress;
  private Promise<Void> drained;

  Admission(IngressLimits limits) {
    this.limits = limits;
  }

  /** The webhook's share of the node's budget; throws the 503 to answer when there is none. */
  IngressLimits.Lease admit() {
    if (drained != null) {
      throw new Refusal(503, "Hookcast is shutting down; retry later");
    }
    IngressLimits.Lease lease = limits.acquire();
    if (lease == null) {
      throw new Refusal(503, "too many webhooks in progress on this node (http.maxConcurrentWebhooks); retry later");
    }
    inProgress++;
    return lease;
  }

  /** The webhook is answered and nothing holds its body any more. */
  void finished(IngressLimits.Lease lease) {
    lease.release();
    inProgress--;
    if (inProgress == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  boolean draining() {
    return drained != null;
  }

  /** Stops admitting; completes once every webhook admitted before is finished. */
  Future<Void> drain() {
    if (drained == null) {
      drained = Promise.promise();
    }
    if (inProgress == 0) {
      drained.tryComplete();
    }
    return drained.future();
  }
}
