package io.hookcast.store;

/** The store could not be opened; the message names the config key (store.path or store.url) and the value. */
public final class StoreOpenException extends RuntimeException {

  public StoreOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
