package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Replies from forwarders: by reference locally, as a binary frame across cluster nodes. */
public final class DeliveryResultCodec implements MessageCodec<DeliveryResult, DeliveryResult> {

  static final String NAME = "hookcast.delivery-result";

  @Override
  public void encodeToWire(Buffer buffer, DeliveryResult result) {
    int start = buffer.length();
    buffer.appendInt(0);
    buffer.appendInt(result.status());
    Wire.writeString(buffer, result.body());
    buffer.appendByte((byte) (result.truncated() ? 1 : 0));
    buffer.appendLong(result.durationMs());
    buffer.appendInt(result.attempts());
    Wire.writeString(buffer, result.error());
    Wire.writeString(buffer, result.node());
    buffer.setInt(start, buffer.length() - start - 4);
  }

  @Override
  public DeliveryResult decodeFromWire(int pos, Buffer buffer) {
    Wire.Reader reader = new Wire.Reader(buffer, pos + 4);
    int status = reader.readInt();
    String body = reader.readString();
    boolean truncated = reader.readBoolean();
    long durationMs = reader.readLong();
    int attempts = reader.readInt();
    String error = reader.readString();
    String node = reader.readString();
    return new DeliveryResult(status, body, truncated, durationMs, attempts, error, node);
  }

  @Override
  public DeliveryResult transform(DeliveryResult result) {
    return result;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
