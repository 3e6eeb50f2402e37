package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Passes a {@link Handoff} by reference locally and, to a forwarder on another node, as a {@link Wire} frame: the
 * reply address, exchange, slot, attempt and time allowed, then the webhook's fields ({@link WebhookFields}). A frame it
 * cannot read throws {@link MalformedFrameException} for {@link FrameGuard}: when the reply address, exchange and
 * slot could be read (a body over this node's limit, say), the exception carries a failed attempt for the guard to
 * send the fan-out at once; otherwise it can only log the frame, and the fan-out reports that backend as unanswered
 * at the webhook's deadline.
 */
public final class HandoffCodec extends ByReference<Handoff> {

  public static final String NAME = "hookcast.handoff";
  /** "HCHO". */
  static final int MAGIC = 0x4843484f;
  private static final String WHAT = "hand-off frame";
  /** What the webhook's sender sees of a hand-off this node cannot read; the details are in this node's log. */
  private static final String FORWARDER_FAILED = "forwarder failed";

  private final String nodeName;
  private final WebhookFields webhooks;

  /** @param maxBodyBytes this node's {@code http.maxBodyBytes}: the largest webhook body it accepts from another node */
  public HandoffCodec(String nodeName, long maxBodyBytes) {
    super(NAME);
    this.nodeName = nodeName;
    this.webhooks = new WebhookFields(maxBodyBytes);
  }

  @Override
  public void encodeToWire(Buffer buffer, Handoff handoff) {
    int start = Wire.begin(buffer, MAGIC, nodeName);
    Wire.writeString(buffer, handoff.replyTo());
    buffer.appendLong(handoff.exchange()).appendInt(handoff.slot()).appendInt(handoff.attempt()).appendLong(handoff.timeoutMs());
    WebhookFields.write(buffer, handoff.webhook());
    Wire.end(buffer, start);
  }

  @Override
  public Handoff decodeFromWire(int pos, Buffer buffer) {
    // No limit on the frame: it has arrived whole, and its body's limit is checked once the reply address is read,
    // so that a body however far over it is answered, not left to the sender's deadline.
    Wire.Reader reader = Wire.open(buffer, pos, MAGIC, Integer.MAX_VALUE, WHAT);
    String replyTo = WebhookFields.required(reader, WHAT, "reply address");
    if (!Addresses.isInbox(replyTo)) {
      throw new MalformedFrameException(reader.sender(), "the " + WHAT + " names no fan-out inbox to answer");
    }
    long exchange = reader.readLong();
    int slot = reader.readInt();
    try {
      int attempt = reader.readInt();
      long timeoutMs = reader.readLong();
      if (attempt < 1 || timeoutMs < 0) {
        throw new MalformedFrameException(reader.sender(), "the " + WHAT + " holds an impossible attempt (" + attempt
          + ") or time allowed (" + timeoutMs + " ms)");
      }
      Webhook webhook = webhooks.read(reader, WHAT);
      reader.finish();
      return new Handoff(webhook, replyTo, exchange, slot, attempt, timeoutMs);
    } catch (MalformedFrameException e) {
      // A failed attempt, not a refusal: this node would refuse it again (a body over its limit), and a refusal is
      // given back to the store to be sent again as if it had never been, pausing its backend's lane each time. No
      // request was made, so none is counted.
      throw e.answering(replyTo, new Reply(exchange, slot,
        DeliveryResult.unanswered(new Outcome.Unreachable(FORWARDER_FAILED, false), 0, nodeName).withAttempts(0, 0)));
    }
  }
}
