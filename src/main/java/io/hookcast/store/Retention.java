package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * Purges delivered and dead messages once they are older than the retention, now and then and in batches (the
 * store's {@link DeliveryStore#purge}), so that the store does not grow without bound and accepting never waits
 * for it.
 */
public final class Retention extends VerticleBase {

  private static final Logger LOG = System.getLogger(Retention.class.getName());
  static final long FIRST_RUN_MS = 60_000;
  static final long PERIOD_MS = 600_000;

  private final DeliveryStore store;
  private final Duration retention;
  private long timer;
  private boolean purging;

  public Retention(DeliveryStore store, long retentionHours) {
    this.store = store;
    this.retention = Duration.ofHours(retentionHours);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(FIRST_RUN_MS, PERIOD_MS, id -> purge());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void purge() {
    if (purging) {
      return;
    }
    purging = true;
    store.purge(Instant.now().minus(retention))
      .onComplete(ar -> {
        purging = false;
        String line = ar.succeeded() ? "retention: purged " + ar.result() + " messages finished more than " + retention.toHours() + " h ago"
          : "retention: purge failed, retried in " + PERIOD_MS / 60_000 + " min: " + ar.cause();
        if (ar.failed() || ar.result() > 0) {
          vertx.executeBlocking(() -> {
            LOG.log(ar.succeeded() ? Level.INFO : Level.WARNING, line);
            return null;
          }, false);
        }
      });
  }
}
