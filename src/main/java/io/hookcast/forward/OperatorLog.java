package io.hookcast.forward;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The details the sender is not told (backend scheme, host and port, node, exception), for operators. During an outage every
 * delivery fails the same way, so failures are logged at most once a second per forwarder, with a count of those
 * left out.
 */
final class OperatorLog {

  private static final Logger LOG = LoggerFactory.getLogger(ForwarderVerticle.class);
  private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private long lastFailureLogged = System.nanoTime() - INTERVAL_NANOS;
  private int notLogged;

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
    LOG.warn(line);
  }

  /** A circuit that closes again is good news; one that opens or probes is a warning. */
  void circuit(boolean closed, String line) {
    if (closed) {
      LOG.info(line);
    } else {
      LOG.warn(line);
    }
  }
}
