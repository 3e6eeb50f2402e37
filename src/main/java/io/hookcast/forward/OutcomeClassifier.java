package io.hookcast.forward;

import io.hookcast.bus.Outcome;

/**
 * How an exchange with a backend is classified, decided here once for every caller: a sync route's quick retries
 * and an async route's schedule read only the {@link Outcome}. A webhook is not idempotent in general, so only what
 * says the backend cannot have acted on it is retryable: a connection that was refused or timed out (nothing was
 * sent), 502/503/504 (a gateway or the backend refusing for now) and 429. A connection that broke once the request
 * was on its way, or an answer that could not be read, may hide a webhook the backend acted on, so it is not; other
 * 4xx would only fail again.
 */
public final class OutcomeClassifier {

  /** The response header by which a backend says what should become of the webhook. */
  public static final String DELIVERY_HEADER = "Hookcast-Delivery";
  /** Its value for "never send this webhook again". */
  public static final String ABORT = "abort";

  private OutcomeClassifier() {
  }

  /**
   * @param retryAfterMs the wait the backend asked for with {@code Retry-After}, in milliseconds, or -1
   * @param abort        whether it answered {@code Hookcast-Delivery: abort}
   */
  public static Outcome answered(int status, long retryAfterMs, boolean abort) {
    if (status >= 200 && status < 300) {
      return new Outcome.Delivered(status);
    }
    if (abort) {
      return new Outcome.Aborted(status);
    }
    // Only the answers that say the request was not acted on. A 502 or 504 comes from a gateway in front of the
    // backend, often after it passed the request on (an upstream reset mid-answer, a gateway timeout shorter than
    // the backend's): sent again at once, the webhook would be acted on twice.
    boolean retryable = status == 429 || status == 503;
    return new Outcome.Rejected(status, retryable, retryAfterMs);
  }

  /** @param sent whether a connection was had, so that the backend may have seen the request */
  static Outcome unreachable(Failure failure, boolean sent) {
    boolean nothingSent = !sent && (failure == Failure.CONNECTION_REFUSED || failure == Failure.CONNECT_TIMEOUT);
    return new Outcome.Unreachable(failure.category(), nothingSent);
  }
}
