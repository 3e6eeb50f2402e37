package io.hookcast.verify;

/**
 * The outcome of checking a webhook's signature. A rejection's {@link #reason()} is short and fixed, fit for the
 * sender's 401 answer and for a metric label; it never contains a secret or the signature itself.
 */
public enum Verdict {
  ACCEPTED(null),
  MISSING_SIGNATURE_HEADER("missing signature header"),
  MALFORMED_SIGNATURE_HEADER("malformed signature header"),
  SIGNATURE_MISMATCH("signature mismatch"),
  TIMESTAMP_OUTSIDE_TOLERANCE("timestamp outside tolerance");

  private final String reason;

  Verdict(String reason) {
    this.reason = reason;
  }

  public boolean accepted() {
    return this == ACCEPTED;
  }

  /** Why the webhook was rejected; {@code null} when it was accepted. */
  public String reason() {
    return reason;
  }
}
