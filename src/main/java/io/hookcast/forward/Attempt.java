package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;

/**
 * One request to a backend and what the retry policy needs to know about it.
 *
 * @param result       the outcome as it would be reported
 * @param outcome      how the exchange ended
 * @param retryAfterMs the backend's {@code Retry-After} in milliseconds, or -1
 */
record Attempt(DeliveryResult result, Outcome outcome, long retryAfterMs) {

  enum Outcome {
    /** The backend answered with a status. */
    ANSWERED,
    /** No response started: refused, reset or closed before the status line. */
    FAILED_BEFORE_RESPONSE,
    /** The response broke off: the backend acted on the webhook, or may have. */
    FAILED_DURING_RESPONSE,
    /** The deadline passed. */
    TIMED_OUT
  }
}
