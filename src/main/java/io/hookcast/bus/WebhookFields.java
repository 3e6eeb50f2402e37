package io.hookcast.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * A {@link Webhook}'s fields inside a {@link HandoffCodec} frame, read within this node's body limit. A field it
 * cannot read throws {@link MalformedFrameException}.
 */
final class WebhookFields {

  /** A header is at least its two string lengths. */
  private static final int MIN_HEADER_BYTES = 8;

  private final long maxBodyBytes;

  /** @param maxBodyBytes this node's {@code http.maxBodyBytes}: the largest body it accepts from another node */
  WebhookFields(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  static void write(Buffer buffer, Webhook webhook) {
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
    Wire.writeString(buffer, webhook.traceParent());
    buffer.appendInt(webhook.body().length()).appendBuffer(webhook.body());
  }

  /** @param what names the frame in errors */
  Webhook read(Wire.Reader reader, String what) {
    String requestId = required(reader, what, "request id");
    String method = required(reader, what, "method");
    String uri = required(reader, what, "target");
    int headerCount = reader.readCount(MIN_HEADER_BYTES, "headers");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerCount; i++) {
      headers.add(required(reader, what, "header name"), required(reader, what, "header value"));
    }
    String traceParent = reader.readString();
    Buffer body = reader.readBuffer(maxBodyBytes, "a body (http.maxBodyBytes)");
    return new Webhook(requestId, method, uri, headers, body, traceParent);
  }

  static String required(Wire.Reader reader, String what, String field) {
    String value = reader.readString();
    if (value == null) {
      throw new MalformedFrameException(reader.sender(), "the " + what + " has no " + field);
    }
    return value;
  }
}
