package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;

/**
 * One request to a backend and what the retry policy needs to know about it.
 *
 * @param result       the outcome as it would be reported
 * @param outcome      how the exchange ended
 * @param failure      what went wrong when there was no answer, else {@code null}
 * @param retryAfterMs the backend's {@code Retry-After} in milliseconds, or -1
 */
record Attempt(DeliveryResult result, Outcome outcome, Failure failure, long retryAfterMs) {

  enum Outcome {
    /** The backend answered with a status. */
    ANSWERED,
    /** No connection was had, so nothing was sent: the backend cannot have seen the webhook. */
    NOT_SENT,
    /** The exchange broke after a connection was had: the backend may have acted on the webhook. */
    BROKEN,
    /** The deadline passed. */
    TIMED_OUT
  }
}
