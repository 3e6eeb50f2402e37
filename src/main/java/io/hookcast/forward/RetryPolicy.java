package io.hookcast.forward;

import io.hookcast.config.RetryConfig;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

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

  /** Retry-After as delay-seconds or an HTTP-date; -1 when absent or unreadable. */
  static long retryAfterMs(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String trimmed = value.trim();
    try {
      // Clamped so that a huge value cannot overflow into an immediate retry; the deadline bounds it anyway.
      return Math.max(0, Math.min(Long.parseLong(trimmed), TimeUnit.DAYS.toSeconds(1))) * 1000;
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, at - System.currentTimeMillis());
      } catch (DateTimeParseException notADate) {
        return -1;
      }
    }
  }
}
