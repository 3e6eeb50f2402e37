package io.hookcast.admin.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The log of the API's answers that a failing store made: the first such answer, then at most one line per
 * {@code repeatMs} with the count of the answers not logged since. During a store outage every poll of every open
 * dashboard fails, which would otherwise be two lines a second per dashboard beside the store's own outage line.
 */
final class FailureLog {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);

  private final long repeatNanos;
  private long saidAt;
  private boolean said;
  private int unsaid;

  FailureLog(long repeatMs) {
    this.repeatNanos = TimeUnit.MILLISECONDS.toNanos(repeatMs);
  }

  synchronized void answered(String request, int status, Throwable cause) {
    long now = System.nanoTime();
    if (said && now - saidAt < repeatNanos) {
      unsaid++;
      return;
    }
    LOG.warn("operator API: " + request + " answered " + status + ": " + cause
      + (unsaid == 0 ? "" : " (and " + unsaid + " more failed answers since the last such line)"));
    said = true;
    saidAt = now;
    unsaid = 0;
  }
}
