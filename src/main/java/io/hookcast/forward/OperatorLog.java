package io.hookcast.forward;

import io.vertx.core.Vertx;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The details the sender is not told (backend URL, node, exception) for operators, written off the event loop
 * because log handlers write synchronously. During an outage every delivery fails the same way, so failures are
 * logged at most once a second per forwarder, with a count of those left out.
 */
final class OperatorLog {

  private static final Logger LOG = System.getLogger(ForwarderVerticle.class.getName());
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Vertx vertx;
  private long lastFailureLogged = System.nanoTime() - INTERVAL_NANOS;
  private int notLogged;

  OperatorLog(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Must be called on the forwarder's context, which confines the throttle's state. */
  void failure(String what) {
    long now = System.nanoTime();
    if (now - lastFailureLogged < INTERVAL_NANOS) {
      notLogged++;
      return;
    }
    lastFailureLogged = now;
    String line = notLogged == 0 ? what : what + " (" + notLogged + " more failures since the previous line, not logged)";
    notLogged = 0;
    log(Level.WARNING, line);
  }

  void log(Level level, String line) {
    vertx.executeBlocking(() -> {
      LOG.log(level, line);
      return null;
    }, false);
  }
}
