package io.hookcast.forward;

/**
 * What is safe and useful to try again, decided here once for every caller (a sync route's quick retries, an async
 * route's schedule reads it from {@link io.hookcast.bus.DeliveryResult#retryable()}). A webhook is not idempotent in
 * general, so only what says the backend cannot have acted on it is retryable: a connection that was refused or
 * timed out (nothing was sent), 502/503/504 (a gateway or the backend refusing for now) and 429. A connection that
 * broke once the request was on its way, or an answer that could not be read, may hide a webhook the backend acted
 * on, so it is not; other 4xx would only fail again.
 */
final class RetryPolicy {

  private RetryPolicy() {
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
}
