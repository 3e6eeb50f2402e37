package io.hookcast.cluster;

import io.hookcast.bus.Addresses;
import io.hookcast.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Holds back the retirement of a forwarder whose backend a reload changed or removed while an ingress elsewhere in
 * the cluster still routes to it ({@link IngressRoutes}): nodes reload one by one, minutes apart when each reads its
 * own file, and that ingress would answer 503 "no forwarder" for the backend until it reloads too. Polls the
 * cluster's map on timers, never blocking the event loop.
 */
public final class UnroutedWait {

  private static final Logger LOG = LoggerFactory.getLogger(UnroutedWait.class);
  private static final long POLL_MS = 500;
  /**
   * The longest a forwarder is kept for nodes that still route to it: a node whose file never changes, or whose
   * ingress hangs, must not keep it, and its connections to the backend, for good.
   */
  public static final long MAX_WAIT_MS = TimeUnit.MINUTES.toMillis(10);

  private final Vertx vertx;
  private final BackendConfig backend;
  private final BooleanSupplier waiting;
  private final long giveUpAt;
  private final Promise<Void> unrouted = Promise.promise();
  private boolean told;

  private UnroutedWait(Vertx vertx, BackendConfig backend, BooleanSupplier waiting) {
    this.vertx = vertx;
    this.backend = backend;
    this.waiting = waiting;
    this.giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS);
  }

  /**
   * Completes once no live node's ingress lists {@code backend}'s address any more, once {@code waiting} turns false
   * (a reload took the forwarder back, say), or after {@link #MAX_WAIT_MS}, which is logged. Called, and
   * {@code waiting} asked, on the caller's context.
   */
  public static Future<Void> of(Vertx vertx, BackendConfig backend, BooleanSupplier waiting) {
    UnroutedWait wait = new UnroutedWait(vertx, backend, waiting);
    wait.check();
    return wait.unrouted.future();
  }

  private void check() {
    if (!waiting.getAsBoolean()) {
      unrouted.complete();
      return;
    }
    IngressRoutes.routingTo(vertx, Addresses.forwarders(backend)).onComplete(read -> {
      if (read.succeeded() && read.result().isEmpty()) {
        unrouted.complete();
        return;
      }
      // A map that cannot be read for a moment (a member joining or leaving) says nothing of who routes: asked again.
      String routing = read.succeeded() ? "nodes " + read.result() + " still route to it"
        : "the cluster's map of routes cannot be read (" + read.cause().getMessage() + ")";
      if (System.nanoTime() >= giveUpAt) {
        LOG.warn(what() + " retires although " + routing + " after " + TimeUnit.MILLISECONDS.toMinutes(MAX_WAIT_MS)
          + " minutes: an ingress still on its settings answers 503 \"no forwarder\" for it until its configuration"
          + " changes too");
        unrouted.complete();
        return;
      }
      if (!told) {
        told = true;
        LOG.info(what() + " stays while " + routing + ", at most " + TimeUnit.MILLISECONDS.toMinutes(MAX_WAIT_MS) + " minutes");
      }
      vertx.setTimer(POLL_MS, id -> check());
    });
  }

  /** The settings hash without the secrets, as log lines show a backend's settings ({@link Addresses#settings}). */
  private String what() {
    return "the retiring forwarder of backend '" + backend.name() + "' (settings " + Addresses.settings(backend) + ")";
  }
}
