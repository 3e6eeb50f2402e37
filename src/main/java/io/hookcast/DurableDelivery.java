package io.hookcast;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.Role;
import io.hookcast.alert.Alerts;
import io.hookcast.alert.StoreOutageAlerts;
import io.hookcast.schedule.BackendRates;
import io.hookcast.schedule.DeliveryScheduler;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.NodeStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Set;

/**
 * The asynchronous side of a node: its store (which purges itself, see store.retentionHours), and on the instance
 * that opened the store, the scheduler that delivers from it. Only a node that takes webhooks on async routes has one;
 * forwarder-only nodes deliver what the schedulers of ingress nodes send them.
 */
final class DurableDelivery {

  private final Vertx vertx;
  private final NodeStore nodeStore;
  private final NodeStore.Handle handle;
  private final long recordMs;
  private final String nodeName;
  private final BackendRates rates;
  private final Alerts alerts;
  private String schedulerId;
  /** What the running scheduler was deployed with: a reload that changes neither keeps it. */
  private List<BackendConfig> scheduled = List.of();
  private long scheduledLeaseMs;
  /** The scheduler being replaced by a reload, if one is: SIGTERM's stop waits for it to be done. */
  private Future<Void> replacing = Future.succeededFuture();
  private boolean stopping;

  private DurableDelivery(Vertx vertx, NodeStore nodeStore, NodeStore.Handle handle, HookcastConfig config,
                          BackendRates rates, Alerts alerts) {
    this.alerts = alerts;
    this.vertx = vertx;
    this.nodeStore = nodeStore;
    this.handle = handle;
    this.recordMs = config.store().timeoutMs();
    this.nodeName = config.nodeName();
    this.rates = rates;
  }

  /**
   * A node without async routes (or without the ingress role) has none: {@code null}.
   *
   * @param nodeStore the node's store, which its instances share
   * @param rates     the node's backend rates, kept by the scheduler for the operator API
   */
  static Future<DurableDelivery> start(Vertx vertx, HookcastConfig config, NodeStore nodeStore, BackendRates rates,
                                       Alerts alerts) {
    if (!config.hasAsyncRoutes() || !config.runs(Role.INGRESS)) {
      return Future.succeededFuture();
    }
    return nodeStore.acquire(config.store()).compose(handle -> {
      DurableDelivery delivery = new DurableDelivery(vertx, nodeStore, handle, config, rates, alerts);
      if (!handle.opener()) {
        return Future.succeededFuture(delivery);
      }
      handle.store().watch(new StoreOutageAlerts(alerts, config.nodeName()));
      // A scheduler that did not start lets go of the store, or the next start finds it held and starts none.
      return delivery.schedule(config).map(delivery)
        .recover(failure -> nodeStore.release().transform(released -> Future.failedFuture(failure)));
    });
  }

  DeliveryStore store() {
    return handle.store();
  }

  /** For the operator API on the admin listener: the same store, seen as an operator uses it. */
  DeliveryOperations operations() {
    return handle.operations();
  }

  /**
   * Points the scheduler at {@code config}'s backends: all of them, not only those of async routes today, since a
   * backend that a reload took off its async route may still have deliveries stored. A changed backend set replaces
   * the scheduler; the old one finishes the attempts it has under way first, and leases keep the two apart.
   */
  Future<Void> schedule(HookcastConfig config) {
    if (!handle.opener() || stopping) {
      return Future.succeededFuture();
    }
    List<BackendConfig> backends = config.backends();
    long leaseMs = config.delivery().async().leaseMs();
    // As sets: the order backends are listed in means nothing to a scheduler, and replacing it pauses every lane.
    if (Set.copyOf(backends).equals(Set.copyOf(scheduled)) && leaseMs == scheduledLeaseMs) {
      return Future.succeededFuture();
    }
    // Forgotten once its undeploy has ended, however it ended: should the new one fail to start, neither the next
    // reload nor SIGTERM then stops one that is not there.
    Future<Void> stopped = schedulerId == null ? Future.succeededFuture() : vertx.undeploy(schedulerId).onComplete(v -> {
      schedulerId = null;
      scheduled = List.of();
    });
    // None is started, or kept, once SIGTERM has asked for the scheduler to stop meanwhile.
    replacing = stopped.compose(v -> stopping ? Future.<String>succeededFuture() : vertx.deployVerticle(new DeliveryScheduler(
        handle.store(), handle.metrics(), nodeName, leaseMs, recordMs, backends, rates, alerts, config.http().maxBodyBytes())))
      .compose(id -> {
        if (id == null) {
          return Future.succeededFuture();
        }
        if (stopping) {
          return vertx.undeploy(id);
        }
        schedulerId = id;
        scheduled = backends;
        scheduledLeaseMs = leaseMs;
        return Future.succeededFuture();
      });
    return replacing;
  }

  /**
   * SIGTERM: no attempt of an async delivery starts from now on, while the ingress drains; those under way end and
   * are recorded (the scheduler's stop waits for them), so that the close that follows cuts none off. What is due
   * stays in the store for the next start.
   */
  Future<Void> stopScheduling() {
    stopping = true;
    return replacing.transform(replaced -> {
      if (schedulerId == null) {
        return Future.succeededFuture();
      }
      String id = schedulerId;
      schedulerId = null;
      scheduled = List.of();
      return vertx.undeploy(id);
    });
  }

  /**
   * Lets go of the store once the node's verticles are gone: Vert.x undeploys the scheduler, a child of the node's
   * verticle, before the node itself, and the scheduler waits for its attempts under way to be recorded.
   */
  Future<Void> stop() {
    return nodeStore.release();
  }
}
