package io.hookcast.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Map;

/**
 * Passes a {@link Webhook} by reference to local forwarders (no copy of the body) and as a versioned, bounds-checked
 * {@link Wire} frame to forwarders on other cluster nodes; the scheduler of async routes sends it with a request.
 * A frame it cannot read makes {@link #decodeFromWire} throw {@link MalformedFrameException}, which
 * {@link FrameGuard} turns into a failure reply to the sender.
 */
public final class WebhookCodec extends ByReference<Webhook> {

  public static final String NAME = "hookcast.webhook";
  /** "HCWH". */
  static final int MAGIC = 0x48435748;
  private static final String WHAT = "webhook frame";
  /** A header is at least its two string lengths. */
  private static final int MIN_HEADER_BYTES = 8;

  private final String nodeName;
  private final long maxBodyBytes;

  /**
   * @param nodeName     this node, named in the frames it sends
   * @param maxBodyBytes this node's {@code http.maxBodyBytes}: the largest body it accepts from another node
   */
  public WebhookCodec(String nodeName, long maxBodyBytes) {
    super(NAME);
    this.nodeName = nodeName;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void encodeToWire(Buffer buffer, Webhook webhook) {
    int start = Wire.begin(buffer, MAGIC, nodeName);
    writeFields(buffer, webhook);
    Wire.end(buffer, start);
  }

  @Override
  public Webhook decodeFromWire(int pos, Buffer buffer) {
    Wire.Reader reader = Wire.open(buffer, pos, MAGIC, maxFrameBytes(), WHAT);
    Webhook webhook = readFields(reader, WHAT);
    reader.finish();
    return webhook;
  }

  /** The webhook's fields, also carried inside a {@link HandoffCodec} frame. */
  static void writeFields(Buffer buffer, Webhook webhook) {
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
  }

  /** @param what names the frame in errors */
  Webhook readFields(Wire.Reader reader, String what) {
    String requestId = required(reader, what, "request id");
    String method = required(reader, what, "method");
    String uri = required(reader, what, "target");
    int headerCount = reader.readCount(MIN_HEADER_BYTES, "headers");
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headerCount; i++) {
      headers.add(required(reader, what, "header name"), required(reader, what, "header value"));
    }
    Buffer body = reader.readBuffer(maxBodyBytes, "a body (http.maxBodyBytes)");
    return new Webhook(requestId, method, uri, headers, body);
  }

  /** The largest webhook frame this node reads. */
  long maxFrameBytes() {
    return maxBodyBytes + Wire.HEADROOM_BYTES;
  }

  static String required(Wire.Reader reader, String what, String field) {
    String value = reader.readString();
    if (value == null) {
      throw new MalformedFrameException(reader.sender(), "the " + what + " has no " + field);
    }
    return value;
  }
}
