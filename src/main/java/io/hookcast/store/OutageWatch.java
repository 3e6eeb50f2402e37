package io.hookcast.store;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Whether a store's accepts fail, told to its {@link AcceptOutages}: an outage begins at the first failed accept and
 * ends at the first commit a second or more after the last failure, since a store that cannot keep up fails and
 * commits accepts in turn, and is not back until the failures stop. Accepts end on every event loop: each change is
 * made under one lock, so that the watcher hears begin and end in turn, and every failure is counted in its outage.
 */
final class OutageWatch {

  /** The store's: an outage's end is read beside the store's lines that said why accepts failed. */
  private static final Logger LOG = LoggerFactory.getLogger(SqlDeliveryStore.class);
  private static final long END_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Vertx vertx;
  private final String named;
  private volatile AcceptOutages watcher;
  /** Read without the lock on every commit: whether there is an outage to end. */
  private volatile boolean out;
  // Guarded by this: System.nanoTime() instants.
  private long since;
  private long lastFailed;
  private long lastCommitted;
  private long failed;
  private long failedSinceStart;
  private boolean endCheckDue;
  private boolean closing;

  /** @param named {@code store.path '...'} or {@code store.url '...'}, for the lines */
  OutageWatch(Vertx vertx, String named) {
    this.vertx = vertx;
    this.named = named;
  }

  void watchedBy(AcceptOutages watcher) {
    this.watcher = watcher;
  }

  /** What the store refuses from now on is no outage: it is closing. */
  synchronized void closing() {
    closing = true;
  }

  /** @param why the line saying why, asked for only when an outage begins */
  void failed(Supplier<String> why) {
    synchronized (this) {
      long now = System.nanoTime();
      lastFailed = now;
      failed++;
      failedSinceStart++;
      if (out || closing) {
        return;
      }
      out = true;
      since = now;
      AcceptOutages told = watcher;
      if (told != null) {
        told.began(why.get(), failedSinceStart);
      }
    }
  }

  void committed() {
    if (!out) {
      return;
    }
    synchronized (this) {
      lastCommitted = System.nanoTime();
      endIfOver();
    }
  }

  /** Ends the outage if a commit came a second after the last failure; else looks again when it may have. */
  private void endIfOver() {
    if (!out || lastCommitted - lastFailed <= 0) {
      return;
    }
    long leftNanos = lastFailed + END_NANOS - System.nanoTime();
    if (leftNanos > 0) {
      // The commits of a store that is back may stop with the traffic: the end is not left to the next webhook.
      if (!endCheckDue) {
        endCheckDue = true;
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos) + 1), id -> {
          synchronized (this) {
            endCheckDue = false;
            endIfOver();
          }
        });
      }
      return;
    }
    out = false;
    Duration lasted = Duration.ofNanos(lastCommitted - since);
    String line = named + ": webhooks to async routes are accepted again, after " + (lasted.toSeconds() < 10
      ? lasted.toMillis() + " ms" : lasted.toSeconds() + " s") + " in which " + failed + (failed == 1 ? " was" : " were")
      + " answered 503";
    LOG.info(line);
    AcceptOutages told = watcher;
    if (told != null) {
      told.ended(line, failed, lasted, failedSinceStart);
    }
    failed = 0;
  }
}
