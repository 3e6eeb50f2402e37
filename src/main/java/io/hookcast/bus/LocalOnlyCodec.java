package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

/** Passes an immutable object by reference to consumers on this node; refuses to leave the node. */
final class LocalOnlyCodec<T> extends ByReference<T> {

  LocalOnlyCodec(Class<T> type) {
    super("hookcast.local." + type.getSimpleName());
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name() + " is for messages within one node; send them with setLocalOnly(true)");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name() + " is for messages within one node");
  }
}
