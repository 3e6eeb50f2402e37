package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

/**
 * Passes a {@link Handoff} by reference locally and, to a forwarder on another node, as a {@link Wire} frame: the
 * reply address, exchange and slot, then the webhook's fields as {@link WebhookCodec} writes them. A frame it
 * cannot read throws {@link MalformedFrameException} for {@link FrameGuard}; having no reply address to answer, the
 * guard logs it and the fan-out reports that backend as unanswered at the webhook's deadline.
 */
public final class HandoffCodec extends ByReference<Handoff> {

  public static final String NAME = "hookcast.handoff";
  /** "HCHO". */
  static final int MAGIC = 0x4843484f;
  private static final String WHAT = "hand-off frame";

  private final String nodeName;
  private final WebhookCodec webhooks;

  /** @param webhooks the node's webhook codec, whose limits apply to the webhook inside */
  public HandoffCodec(String nodeName, WebhookCodec webhooks) {
    super(NAME);
    this.nodeName = nodeName;
    this.webhooks = webhooks;
  }

  @Override
  public void encodeToWire(Buffer buffer, Handoff handoff) {
    int start = Wire.begin(buffer, MAGIC, nodeName);
    Wire.writeString(buffer, handoff.replyTo());
    buffer.appendLong(handoff.exchange()).appendInt(handoff.slot());
    WebhookCodec.writeFields(buffer, handoff.webhook());
    Wire.end(buffer, start);
  }

  @Override
  public Handoff decodeFromWire(int pos, Buffer buffer) {
    Wire.Reader reader = Wire.open(buffer, pos, MAGIC, webhooks.maxFrameBytes(), WHAT);
    String replyTo = WebhookCodec.required(reader, WHAT, "reply address");
    long exchange = reader.readLong();
    int slot = reader.readInt();
    Webhook webhook = webhooks.readFields(reader, WHAT);
    reader.finish();
    return new Handoff(webhook, replyTo, exchange, slot);
  }
}
