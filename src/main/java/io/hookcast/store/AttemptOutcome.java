package io.hookcast.store;

/** What an attempt came to, as the history and the metrics name it. */
public enum AttemptOutcome {
  /** A 2xx answer. */
  DELIVERED,
  /** Any other answer. */
  REJECTED,
  /** No answer: the backend could not be reached, or broke off. */
  UNREACHABLE,
  /** No answer within the backend's deadline. */
  TIMED_OUT;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
