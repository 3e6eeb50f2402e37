package io.hookcast.http;

import io.vertx.core.VertxException;

/** A listener could not take its address; the message names the listener and the keys that set its address. */
public final class ListenException extends VertxException {

  ListenException(String message, Throwable cause) {
    super(message, cause);
  }
}
