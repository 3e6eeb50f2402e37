package io.hookcast.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.util.Map;

/**
 * Passes a {@link Webhook} by reference to local forwarders (no copy of the body) and as a compact binary frame
 * to forwarders on other cluster nodes.
 */
public final class WebhookCodec implements MessageCodec<Webhook, Webhook> {

  static final String NAME = "hookcast.webhook";

  @Override
  public void encodeToWire(Buffer buffer, Webhook webhook) {
    int start = buffer.length();
    buffer.appendInt(0);
    Wire.writeString(buffer, webhook.requestId());
    Wire.writeString(buffer, webhook.method());
    Wire.writeString(buffer, webhook.uri());
    // MultiMap.size() counts names, not values: a repeated header would lose values, so count while writing.
    int countPos = buffer.length();
    buffer.appendInt(0);
    int headerCount = 0;
    for (Map.Entry<String, String> header : webhook.headers()) {
      Wire.writeString(buffer, header.getKey());
      Wire.writeString(buffer, header.getValue());
      headerCount++;
    }
    buffer.setInt(countPos, headerCount);
    buffer.appendInt(webhook.body().length()).appendBuffer(webhook.body());
    buffer.setInt(start, buffer.length() - start - 4);
  }

  @Override
  public Webhook decodeFromWire(int pos, Buffer buffer) {
    Wire.Reader reader = new Wire.Reader(buffer, pos + 4);
    String requestId = reader.readString();
    String method = reader.readString();
    String uri = reader.readString();
    int headerCount = reader.readInt();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerCount; i++) {
      headers.add(reader.readString(), reader.readString());
    }
    return new Webhook(requestId, method, uri, headers, reader.readBuffer());
  }

  @Override
  public Webhook transform(Webhook webhook) {
    return webhook;
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
