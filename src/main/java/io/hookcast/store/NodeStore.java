package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.metrics.StoreMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one store of a node. {@code -instances N} deploys the node's verticle N times in one Vert.x, and an embedded
 * database file can be opened by one pool only, so the first instance opens it and the others share it; the last
 * to let go closes it. A launcher deploys the instances, so there is no object to pass them: the node's shared data
 * is where they meet.
 */
public final class NodeStore {

  private static final String REGISTRY = "hookcast.store";
  private static final String KEY = "store";

  /**
   * @param operations what the operator API does with the same store
   * @param opener     whether this caller opened the store, and so runs what a node runs once per store (the scheduler)
   */
  public record Handle(DeliveryStore store, DeliveryOperations operations, StoreMetrics metrics, boolean opener) {
  }

  private record Opened(Future<Handle> handle, AtomicInteger users) implements Shareable {
  }

  private NodeStore() {
  }

  public static Future<Handle> acquire(Vertx vertx, StoreConfig config) {
    LocalMap<String, Opened> registry = vertx.sharedData().getLocalMap(REGISTRY);
    Promise<Handle> opening = Promise.promise();
    Opened mine = new Opened(opening.future(), new AtomicInteger(1));
    Opened existing = registry.putIfAbsent(KEY, mine);
    if (existing != null) {
      existing.users().incrementAndGet();
      return existing.handle().map(opened -> new Handle(opened.store(), opened.operations(), opened.metrics(), false));
    }
    StoreMetrics metrics = StoreMetrics.create();
    SqlDeliveryStore.open(vertx, config, metrics)
      .<Handle>map(store -> new Handle(store, store.operations(), metrics, true))
      .onFailure(failure -> registry.remove(KEY))
      .onComplete(opening);
    return opening.future();
  }

  /** Closes the store once every instance that acquired it has released it. */
  public static Future<Void> release(Vertx vertx) {
    LocalMap<String, Opened> registry = vertx.sharedData().getLocalMap(REGISTRY);
    Opened opened = registry.get(KEY);
    if (opened == null || opened.users().decrementAndGet() > 0) {
      return Future.succeededFuture();
    }
    registry.remove(KEY);
    return opened.handle().compose(handle -> handle.store().close());
  }
}
