package io.hookcast.fanout;

import io.hookcast.config.RetryConfig;

import java.util.concurrent.ThreadLocalRandom;

/** When a sync route tries a backend again within its deadline ({@code backends[].retry}). */
final class QuickRetries {

  private final RetryConfig config;

  QuickRetries(RetryConfig config) {
    this.config = config;
  }

  int maxAttempts() {
    return config.maxAttempts();
  }

  /**
   * The wait before attempt {@code nextAttempt} (2 for the first retry): the backend's Retry-After if it gave one,
   * else "full jitter" exponential backoff, which spreads the retries of many webhooks instead of sending them back
   * in step.
   *
   * @param retryAfterMs the wait the backend asked for, or -1
   */
  long delayMs(int nextAttempt, long retryAfterMs) {
    if (retryAfterMs >= 0) {
      return retryAfterMs;
    }
    long cap = config.initialBackoffMs() << Math.min(nextAttempt - 2, 30);
    cap = Math.min(config.maxBackoffMs(), cap < 0 ? Long.MAX_VALUE : cap);
    return ThreadLocalRandom.current().nextLong(cap + 1);
  }
}
