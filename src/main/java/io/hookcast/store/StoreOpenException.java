package io.hookcast.store;

/** The store could not be opened; the message names the config key (store.path or store.url) and the value. */
public final class StoreOpenException extends RuntimeException {

  private final boolean unreachable;

  public StoreOpenException(String message, Throwable cause) {
    this(message, cause, false);
  }

  StoreOpenException(String message, Throwable cause, boolean unreachable) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  /**
   * Whether the database server could not be reached (down, not up yet, a partition): a condition to wait out and
   * start again, not a setting to fix.
   */
  public boolean unreachable() {
    return unreachable;
  }
}
