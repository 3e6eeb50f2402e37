package io.hookcast.ingress;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingress instances listening on a node, so that SIGTERM drains them all and readiness can tell that it has
 * begun.
 */
public final class RunningIngresses {

  private final Set<IngressVerticle> listening = ConcurrentHashMap.newKeySet();

  void add(IngressVerticle ingress) {
    listening.add(ingress);
  }

  void remove(IngressVerticle ingress) {
    listening.remove(ingress);
  }

  /**
   * Makes every ingress of this node refuse new webhooks (503). Completes once all of them refuse, with a future
   * that completes when those already received are answered (for at most the longest backend deadline) and the
   * listeners are closed. What SIGTERM does first.
   */
  public Future<Future<Void>> drainAll() {
    List<Future<Future<Void>>> refusing = new ArrayList<>();
    for (IngressVerticle ingress : listening) {
      refusing.add(ingress.startShutdownDrain());
    }
    return Future.all(refusing).map(all -> {
      List<Future<Void>> drained = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        drained.add(all.<Future<Void>>resultAt(i));
      }
      return Future.join(drained).mapEmpty();
    });
  }

  /** Whether SIGTERM's drain has begun on this node: readiness says so, so that load balancers stop sending. */
  public boolean draining() {
    return listening.stream().anyMatch(IngressVerticle::draining);
  }
}
