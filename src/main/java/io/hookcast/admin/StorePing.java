package io.hookcast.admin;

import io.vertx.core.Future;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store's answer to readiness probes: one query, shared by every probe within {@link #SHARE_MS} of its start.
 * A query per probe let a flood of probes (a misconfigured prober, many scrapers, pipelined requests) queue
 * queries beside the accepts of async webhooks and slow their 202s. A probe sees a store at most a second late.
 */
final class StorePing {

  static final long SHARE_MS = 1_000;

  private final Supplier<Future<Void>> ping;
  private final long timeoutMs;
  private Future<Void> latest;
  private long startedNanos;

  /** @param timeoutMs how long the query may take before the store counts as not answering */
  StorePing(Supplier<Future<Void>> ping, long timeoutMs) {
    this.ping = ping;
    this.timeoutMs = timeoutMs;
  }

  /** Succeeds when the store answered the latest query in time. */
  synchronized Future<Void> answer() {
    long now = System.nanoTime();
    if (latest == null || now - startedNanos >= TimeUnit.MILLISECONDS.toNanos(SHARE_MS)) {
      startedNanos = now;
      latest = ping.get().timeout(timeoutMs, TimeUnit.MILLISECONDS);
    }
    return latest;
  }
}
