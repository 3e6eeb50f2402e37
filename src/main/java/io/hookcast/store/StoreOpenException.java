package io.hookcast.store;

/** The store could not be opened; the message names the config key (store.path or store.url) and the value. */
public final class StoreOpenException extends RuntimeException {

  private final boolean temporary;

  public StoreOpenException(String message, Throwable cause) {
    this(message, cause, false);
  }

  StoreOpenException(String message, Throwable cause, boolean temporary) {
    super(message, cause);
    this.temporary = temporary;
  }

  /**
   * Whether it is a condition to wait out and start again, not a setting to fix: the database server could not be
   * reached (down, not up yet, a partition), or the embedded store's directory is held by another process (one still
   * draining as its replacement starts).
   */
  public boolean temporary() {
    return temporary;
  }
}
