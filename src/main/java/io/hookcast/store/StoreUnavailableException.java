package io.hookcast.store;

/** The store cannot take a message now (down, or its queue is full): the ingress answers 503. */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
