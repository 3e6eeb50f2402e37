package io.hookcast.bus;

/**
 * How one hand-off to a backend ended, classified once, by the forwarder that made the request or refused to.
 * Every caller decides from it alone: a sync route's quick retries read {@link #retryable()} (an async route's
 * schedule retries any failure), the history and the metrics read which kind it is, the sender's answer reads
 * {@link #status()}.
 */
public sealed interface Outcome {

  /** The status standing for a backend that could not be reached or broke off. */
  int UNREACHABLE = 502;
  /** The status standing for a delivery refused without contacting the backend. */
  int UNAVAILABLE = 503;
  /** The status standing for no complete answer in time. */
  int TIMED_OUT = 504;

  /** The status the sender sees for this backend: the backend's own, or 502, 503 or 504 standing for a failure. */
  int status();

  /** Whether another attempt is safe and useful now. */
  boolean retryable();

  /** What went wrong when the backend gave no answer, as a short category the sender may see; {@code null} for an answer. */
  default String error() {
    return null;
  }

  /** The wait the backend asked for with {@code Retry-After}, in milliseconds, or -1 when it asked for none. */
  default long retryAfterMs() {
    return -1;
  }

  /** Whether a request was made: a refusal is not an attempt, and not the backend's doing. */
  default boolean attempted() {
    return true;
  }

  /** The backend answered 2xx. */
  record Delivered(int status) implements Outcome {
    @Override
    public boolean retryable() {
      return false;
    }
  }

  /**
   * The backend answered with another status.
   *
   * @param retryAfterMs the wait it asked for with {@code Retry-After}, in milliseconds, or -1
   */
  record Rejected(int status, long retryAfterMs) implements Outcome {

    /**
     * Whether the answer says the request was not acted on: 429 and 503, "not now". A 502 or 504 comes from a gateway
     * in front of the backend, often after it passed the request on (an upstream reset mid-answer, a gateway timeout
     * shorter than the backend's): sent again at once, the webhook would be acted on twice.
     */
    @Override
    public boolean retryable() {
      return status == 429 || status == 503;
    }
  }

  /**
   * The backend answered (not 2xx) with {@code Hookcast-Delivery: abort}: never send this webhook to it again. An
   * async delivery ends cancelled, with that reason; a sync route reports it as the answer it is.
   */
  record Aborted(int status) implements Outcome {
    @Override
    public boolean retryable() {
      return false;
    }
  }

  /**
   * No answer: no connection could be had, or the exchange broke off.
   *
   * @param retryable whether nothing can have reached the backend, so that sending again cannot repeat the webhook
   */
  record Unreachable(String error, boolean retryable) implements Outcome {
    @Override
    public int status() {
      return UNREACHABLE;
    }
  }

  /** No complete answer within the backend's deadline: the backend may be acting on it, so not retryable. */
  record TimedOut(String error) implements Outcome {
    @Override
    public int status() {
      return TIMED_OUT;
    }

    @Override
    public boolean retryable() {
      return false;
    }
  }

  /**
   * Refused before sending (circuit open, forwarder overloaded or missing): the backend was not contacted. Not
   * retried at once: what refused it would refuse again.
   *
   * @param status 502, 503 or 504, as a failure's always is
   */
  record Refused(int status, String error) implements Outcome {
    public Refused {
      if (!isRefusal(status)) {
        throw new IllegalArgumentException("a refusal stands for 502, 503 or 504, not " + status);
      }
    }

    /** Whether a refusal may carry {@code status}. */
    static boolean isRefusal(int status) {
      return status == UNREACHABLE || status == UNAVAILABLE || status == TIMED_OUT;
    }

    @Override
    public boolean retryable() {
      return false;
    }

    @Override
    public boolean attempted() {
      return false;
    }
  }
}
