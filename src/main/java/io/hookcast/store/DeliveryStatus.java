package io.hookcast.store;

import java.util.Locale;

/** Where a delivery stands. */
public enum DeliveryStatus {
  /** Waiting for its next attempt. */
  PENDING,
  /** Leased to a node that is attempting it. */
  DELIVERING,
  /** A backend answered 2xx. */
  DELIVERED,
  /** Its schedule ran out; kept, never retried. */
  DEAD,
  /** An operator gave it up. */
  CANCELLED;

  /** The value in the {@code status} column. */
  public String column() {
    return name().toLowerCase(Locale.ROOT);
  }
}
