package io.hookcast.bus;

import io.vertx.core.eventbus.MessageCodec;

/**
 * What Hookcast's codecs share: their messages are immutable, so a consumer on the same node gets the very object
 * sent (no copy of a body), and each codec is a user codec known by its name.
 */
abstract class ByReference<T> implements MessageCodec<T, T> {

  private final String name;

  ByReference(String name) {
    this.name = name;
  }

  @Override
  public final T transform(T value) {
    return value;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
