package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Passes an immutable object by reference to consumers on this node; refuses to leave the node. */
final class LocalOnlyCodec<T> implements MessageCodec<T, T> {

  private final String name;

  LocalOnlyCodec(Class<T> type) {
    this.name = "hookcast.local." + type.getSimpleName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name + " is for messages within one node; send them with setLocalOnly(true)");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is for messages within one node");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
