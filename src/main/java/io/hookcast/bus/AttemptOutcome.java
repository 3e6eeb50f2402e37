package io.hookcast.bus;

/**
 * What an attempt came to, as the history, the operator API, the spans and the async delivery meters name it. The sync
 * delivery meters (metrics.HookcastMetrics) keep labels of their own, beside the status class: answered (any
 * status), failed (no answer) or refused (not attempted).
 */
public enum AttemptOutcome {
  /** A 2xx answer. */
  DELIVERED,
  /** Any other answer. */
  REJECTED,
  /** No answer: the backend could not be reached, broke off, or was not contacted (sync routes' refusals). */
  UNREACHABLE,
  /** No answer within the backend's deadline. */
  TIMED_OUT;

  /** The one mapping from a forwarder's outcome to the history's words. */
  public static AttemptOutcome of(Outcome outcome) {
    if (outcome instanceof Outcome.Delivered) {
      return DELIVERED;
    }
    if (outcome instanceof Outcome.Rejected || outcome instanceof Outcome.Aborted) {
      return REJECTED;
    }
    return outcome instanceof Outcome.TimedOut ? TIMED_OUT : UNREACHABLE;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
