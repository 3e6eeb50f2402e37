package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Passes an {@link Outcome} by reference locally and, back to a fan-out on another node, as a {@link Wire} frame:
 * exchange and slot, then the result's fields as {@link DeliveryResultCodec} writes them. When the exchange and slot
 * can be read but the result cannot, the outcome carries a 502 saying so, like an unreadable reply; a frame that does
 * not even say which webhook it answers throws {@link MalformedFrameException} for {@link FrameGuard} to log and drop.
 */
public final class OutcomeCodec extends ByReference<Outcome> {

  public static final String NAME = "hookcast.outcome";
  /** "HCOC". */
  static final int MAGIC = 0x48434f43;
  private static final String WHAT = "outcome frame";

  private final String nodeName;
  private final long maxFrameBytes;

  /** @param maxBodyBytes this node's {@code http.maxBodyBytes}; a result is never larger than a webhook may be */
  public OutcomeCodec(String nodeName, long maxBodyBytes) {
    super(NAME);
    this.nodeName = nodeName;
    this.maxFrameBytes = maxBodyBytes + Wire.HEADROOM_BYTES;
  }

  @Override
  public void encodeToWire(Buffer buffer, Outcome outcome) {
    int start = Wire.begin(buffer, MAGIC, nodeName);
    buffer.appendLong(outcome.exchange()).appendInt(outcome.slot());
    DeliveryResultCodec.writeFields(buffer, outcome.result());
    Wire.end(buffer, start);
  }

  @Override
  public Outcome decodeFromWire(int pos, Buffer buffer) {
    Wire.Reader reader = Wire.open(buffer, pos, MAGIC, maxFrameBytes, WHAT);
    long exchange = reader.readLong();
    int slot = reader.readInt();
    try {
      DeliveryResult result = DeliveryResultCodec.readFields(reader, WHAT);
      reader.finish();
      return new Outcome(exchange, slot, result);
    } catch (MalformedFrameException e) {
      return new Outcome(exchange, slot, DeliveryResultCodec.unreadable(e));
    }
  }
}
