package io.hookcast.forward;

import io.hookcast.bus.Outcome;

/**
 * How an exchange with a backend is classified, decided here once for every caller: a sync route's quick retries
 * and an async route's schedule read only the {@link Outcome}. A webhook is not idempotent in general, so only what
 * says the backend cannot have acted on it is retryable: a connection that was refused or timed out (nothing was
 * sent), and 429 and 503 ({@link Outcome.Rejected#retryable}). A connection that broke once the request was on its
 * way, an answer that could not be read, or a gateway's 502 or 504 may hide a webhook the backend acted on, so it is
 * not; other 4xx would only fail again.
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
    return new Outcome.Rejected(status, retryAfterMs);
  }

  /** @param sent whether a connection was had, so that the backend may have seen the request */
  static Outcome unreachable(Failure failure, boolean sent) {
    boolean nothingSent = !sent && (failure == Failure.CONNECTION_REFUSED || failure == Failure.CONNECT_TIMEOUT);
    return new Outcome.Unreachable(failure.category(), nothingSent);
  }
}
