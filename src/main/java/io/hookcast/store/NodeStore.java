package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one store of a node. {@code -instances N} deploys the node's verticle N times in one Vert.x, and an embedded
 * database file can be opened by one pool only, so the first instance opens it and the others share it; the last
 * to let go closes it.
 */
public final class NodeStore {

  /**
   * @param operations what the operator API does with the same store
   * @param opener     whether this caller opened the store, and so runs what a node runs once per store (the scheduler)
   */
  public record Handle(DeliveryStore store, DeliveryOperations operations, StoreMetrics metrics, boolean opener) {
  }

  private record Shared(Future<Handle> handle, AtomicInteger users) {
  }

  private final Vertx vertx;
  /** {@code null} while no instance holds the store. */
  private final AtomicReference<Shared> current = new AtomicReference<>();

  public NodeStore(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Opens the store as {@code config} says when no instance holds it, else shares the one open. */
  public Future<Handle> acquire(StoreConfig config) {
    Promise<Handle> opening = Promise.promise();
    Shared mine = new Shared(opening.future(), new AtomicInteger(1));
    Shared existing = current.compareAndExchange(null, mine);
    if (existing != null) {
      existing.users().incrementAndGet();
      return existing.handle().map(opened -> new Handle(opened.store(), opened.operations(), opened.metrics(), false));
    }
    StoreMetrics metrics = StoreMetrics.create();
    SqlDeliveryStore.open(vertx, config, metrics)
      .<Handle>map(store -> new Handle(store, store.operations(), metrics, true))
      .onFailure(failure -> current.compareAndSet(mine, null))
      .onComplete(opening);
    return opening.future();
  }

  /** Closes the store once every instance that acquired it has released it. */
  public Future<Void> release() {
    Shared shared = current.get();
    if (shared == null || shared.users().decrementAndGet() > 0) {
      return Future.succeededFuture();
    }
    current.compareAndSet(shared, null);
    return shared.handle().compose(handle -> handle.store().close());
  }
}
