package io.hookcast.forward;

import io.hookcast.config.RetryConfig;

import java.util.concurrent.ThreadLocalRandom;

/**
 * What is safe and useful to retry, and when. A webhook is not idempotent in general, so only what says the
 * backend cannot have acted on it is retried: a connection that was refused or timed out (nothing was sent),
 * 502/503/504 (a gateway or the backend refusing for now) and 429. A connection that broke once the request was
 * on its way, or an answer that could not be read, may hide a webhook the backend acted on, so it is not
 * retried; other 4xx would only fail again.
 */
final class RetryPolicy {

  private final RetryConfig config;

  RetryPolicy(RetryConfig config) {
    this.config = config;
  }

  int maxAttempts() {
    return config.maxAttempts();
  }

  static boolean isRetryable(Attempt attempt) {
    return switch (attempt.outcome()) {
      case NOT_SENT -> attempt.failure() == Failure.CONNECTION_REFUSED || attempt.failure() == Failure.CONNECT_TIMEOUT;
      case ANSWERED -> switch (attempt.result().status()) {
        case 429, 502, 503, 504 -> true;
        default -> false;
      };
      case BROKEN, TIMED_OUT -> false;
    };
  }

  /**
   * The wait before attempt {@code nextAttempt} (2 for the first retry): the backend's Retry-After if it gave
   * one, else "full jitter" exponential backoff, which spreads the retries of many webhooks instead of sending
   * them back in step.
   */
  long delayMs(int nextAttempt, Attempt previous) {
    if (previous.retryAfterMs() >= 0) {
      return previous.retryAfterMs();
    }
    long cap = config.initialBackoffMs() << Math.min(nextAttempt - 2, 30);
    cap = Math.min(config.maxBackoffMs(), cap < 0 ? Long.MAX_VALUE : cap);
    return ThreadLocalRandom.current().nextLong(cap + 1);
  }
}
