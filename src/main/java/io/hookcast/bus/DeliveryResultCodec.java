package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replies from forwarders: by reference locally, as a versioned, bounds-checked {@link Wire} frame across cluster
 * nodes. A reply frame it cannot read decodes to a 502 result saying so: Vert.x reads a reply's body outside any
 * handler Hookcast controls, and an exception there would leave the webhook unanswered until its timeout.
 */
public final class DeliveryResultCodec extends ByReference<DeliveryResult> {

  static final String NAME = "hookcast.delivery-result";
  /** "HCDR". */
  static final int MAGIC = 0x48434452;
  private static final String WHAT = "reply frame";

  private final String nodeName;
  private final long maxFrameBytes;

  /**
   * @param nodeName     this node, named in the frames it sends
   * @param maxBodyBytes this node's {@code http.maxBodyBytes}; a reply is never larger than a webhook may be
   */
  public DeliveryResultCodec(String nodeName, long maxBodyBytes) {
    super(NAME);
    this.nodeName = nodeName;
    this.maxFrameBytes = maxBodyBytes + Wire.HEADROOM_BYTES;
  }

  @Override
  public void encodeToWire(Buffer buffer, DeliveryResult result) {
    int start = Wire.begin(buffer, MAGIC, nodeName);
    writeFields(buffer, result);
    Wire.end(buffer, start);
  }

  @Override
  public DeliveryResult decodeFromWire(int pos, Buffer buffer) {
    try {
      Wire.Reader reader = Wire.open(buffer, pos, MAGIC, maxFrameBytes, WHAT);
      DeliveryResult result = readFields(reader, WHAT);
      reader.finish();
      return result;
    } catch (MalformedFrameException e) {
      return unreadable(e);
    }
  }

  /** The result's fields, also carried inside an {@link OutcomeCodec} frame. */
  static void writeFields(Buffer buffer, DeliveryResult result) {
    buffer.appendInt(result.status());
    Wire.writeString(buffer, result.body());
    buffer.appendByte((byte) (result.truncated() ? 1 : 0));
    buffer.appendLong(result.durationMs());
    buffer.appendInt(result.attempts());
    Wire.writeString(buffer, result.error());
    Wire.writeString(buffer, result.node());
    buffer.appendByte((byte) (result.retryable() ? 1 : 0));
    buffer.appendInt(result.headers().size());
    for (Map.Entry<String, String> header : result.headers()) {
      Wire.writeString(buffer, header.getKey());
      Wire.writeString(buffer, header.getValue());
    }
  }

  /** @param what names the frame in errors */
  static DeliveryResult readFields(Wire.Reader reader, String what) {
    int status = reader.readInt();
    String body = reader.readString();
    boolean truncated = reader.readBoolean();
    long durationMs = reader.readLong();
    int attempts = reader.readInt();
    String error = reader.readString();
    String node = reader.readString();
    boolean retryable = reader.readBoolean();
    // Each header is at least two string lengths.
    int headerCount = reader.readCount(8, "response headers");
    List<Map.Entry<String, String>> headers = new ArrayList<>(headerCount);
    for (int i = 0; i < headerCount; i++) {
      String name = reader.readString();
      String value = reader.readString();
      if (name == null || value == null) {
        throw new MalformedFrameException(reader.sender(), "the " + what + " holds a response header without a name or value");
      }
      headers.add(Map.entry(name, value));
    }
    // The aggregated answer is built from these: a status HTTP cannot carry would fail the whole answer.
    if (status < 100 || status > 599 || body == null || durationMs < 0 || attempts < 0) {
      throw new MalformedFrameException(reader.sender(), "the " + what + " holds an impossible result (status " + status
        + ", duration " + durationMs + " ms, " + attempts + " attempts" + (body == null ? ", no body" : "") + ")");
    }
    return new DeliveryResult(status, body, truncated, durationMs, attempts, error, node, headers, retryable);
  }

  /** What the sender learns of a result that could not be read: the backend may have had the webhook. */
  static DeliveryResult unreadable(MalformedFrameException e) {
    return DeliveryResult.failed(DeliveryResult.UNREACHABLE, "unreadable reply from " + e.describeSender() + ": " + e.getMessage()
      + "; the backend may or may not have received the webhook", 0, null).withAttempts(0, 0);
  }
}
