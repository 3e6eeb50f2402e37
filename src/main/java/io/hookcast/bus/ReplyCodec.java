package io.hookcast.bus;

import io.hookcast.config.DeliveryConfig;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Passes a {@link Reply} by reference locally and, back to a fan-out or scheduler on another node, as a {@link Wire}
 * frame: exchange and slot, the outcome, then the answer. When the exchange and slot can be read but the rest cannot,
 * the reply carries an unreachable outcome saying so: Vert.x reads a reply outside any handler Hookcast controls, and
 * an exception there would leave the webhook unanswered until its deadline. A frame that does not even say which
 * webhook it answers throws {@link MalformedFrameException} for {@link FrameGuard} to log and drop.
 */
public final class ReplyCodec extends ByReference<Reply> {

  public static final String NAME = "hookcast.reply";
  /** "HCRP". */
  static final int MAGIC = 0x48435250;
  private static final String WHAT = "reply frame";
  private static final byte DELIVERED = 0;
  private static final byte REJECTED = 1;
  private static final byte UNREACHABLE = 2;
  private static final byte TIMED_OUT = 3;
  private static final byte REFUSED = 4;
  private static final byte ABORTED = 5;
  /** What RetryAfter clamps a backend's Retry-After to: a peer's larger value is not one Hookcast wrote. */
  private static final long MAX_RETRY_AFTER_MS = java.util.concurrent.TimeUnit.DAYS.toMillis(1);
  /** A header is at least its two string lengths. */
  private static final int MIN_HEADER_BYTES = 8;

  /**
   * The largest reply a forwarder writes: the answer it keeps (at most {@code delivery.maxResponseBodyBytes}) and its
   * headers. Not the webhook's limit (http.maxBodyBytes): a node of small webhooks would drop a backend's larger
   * answer, and its sender would get a 504 at the deadline for a webhook the backend had taken, and send it again.
   */
  private static final long MAX_FRAME_BYTES = DeliveryConfig.MAX_RESPONSE_BODY_BYTES + Wire.HEADROOM_BYTES;
  private static final String BODY = "a response body (delivery.maxResponseBodyBytes)";

  private final String nodeName;

  public ReplyCodec(String nodeName) {
    super(NAME);
    this.nodeName = nodeName;
  }

  @Override
  public void encodeToWire(Buffer buffer, Reply reply) {
    int start = Wire.begin(buffer, MAGIC, nodeName);
    buffer.appendLong(reply.exchange()).appendInt(reply.slot());
    DeliveryResult result = reply.result();
    writeOutcome(buffer, result.outcome());
    buffer.appendInt(result.body().length()).appendBuffer(result.body());
    buffer.appendByte((byte) (result.truncated() ? 1 : 0));
    buffer.appendLong(result.durationMs());
    buffer.appendInt(result.attempts());
    Wire.writeString(buffer, result.node());
    buffer.appendInt(result.headers().size());
    for (Map.Entry<String, String> header : result.headers()) {
      Wire.writeString(buffer, header.getKey());
      Wire.writeString(buffer, header.getValue());
    }
    Wire.end(buffer, start);
  }

  @Override
  public Reply decodeFromWire(int pos, Buffer buffer) {
    Wire.Reader reader = Wire.open(buffer, pos, MAGIC, MAX_FRAME_BYTES, WHAT);
    long exchange = reader.readLong();
    int slot = reader.readInt();
    try {
      DeliveryResult result = readResult(reader);
      reader.finish();
      return new Reply(exchange, slot, result);
    } catch (MalformedFrameException e) {
      return new Reply(exchange, slot, unreadable(e));
    }
  }

  /** Every kind writes the same fields, so that reading one never depends on the kind being right. */
  private static void writeOutcome(Buffer buffer, Outcome outcome) {
    byte kind;
    if (outcome instanceof Outcome.Delivered) {
      kind = DELIVERED;
    } else if (outcome instanceof Outcome.Rejected) {
      kind = REJECTED;
    } else if (outcome instanceof Outcome.Unreachable) {
      kind = UNREACHABLE;
    } else if (outcome instanceof Outcome.TimedOut) {
      kind = TIMED_OUT;
    } else if (outcome instanceof Outcome.Aborted) {
      kind = ABORTED;
    } else {
      kind = REFUSED;
    }
    buffer.appendByte(kind).appendInt(outcome.status()).appendByte((byte) (outcome.retryable() ? 1 : 0))
      .appendLong(outcome instanceof Outcome.Rejected rejected ? rejected.retryAfterMs() : -1);
    Wire.writeString(buffer, outcome.error());
  }

  private static DeliveryResult readResult(Wire.Reader reader) {
    Outcome outcome = readOutcome(reader);
    Buffer body = reader.readSlice(DeliveryConfig.MAX_RESPONSE_BODY_BYTES, BODY);
    boolean truncated = reader.readBoolean();
    long durationMs = reader.readLong();
    int attempts = reader.readInt();
    String node = reader.readString();
    int headerCount = reader.readCount(MIN_HEADER_BYTES, "response headers");
    List<Map.Entry<String, String>> headers = new ArrayList<>(headerCount);
    for (int i = 0; i < headerCount; i++) {
      String name = reader.readString();
      String value = reader.readString();
      if (name == null || value == null) {
        throw impossible(reader, "a response header without a name or value");
      }
      headers.add(Map.entry(name, value));
    }
    if (durationMs < 0 || attempts < 0) {
      throw impossible(reader, "an impossible answer (duration " + durationMs + " ms, " + attempts + " attempts)");
    }
    return new DeliveryResult(outcome, body, truncated, durationMs, attempts, node, headers);
  }

  /** The sender's answer is built from the outcome: a status HTTP cannot carry would fail the whole answer. */
  private static Outcome readOutcome(Wire.Reader reader) {
    byte kind = reader.readByte();
    int status = reader.readInt();
    boolean retryable = reader.readBoolean();
    long retryAfterMs = reader.readLong();
    String error = reader.readString();
    boolean answered = kind == DELIVERED || kind == REJECTED || kind == ABORTED;
    if (status < 200 || status > 599 || answered != (error == null) || (kind == DELIVERED) != (status / 100 == 2)
      || !failureStatusFits(kind, status) || retryAfterMs > MAX_RETRY_AFTER_MS) {
      throw impossible(reader, "an impossible outcome (kind " + kind + ", status " + status + ")");
    }
    return switch (kind) {
      case DELIVERED -> new Outcome.Delivered(status);
      // Its retryable bit is not read: the status says it (429 and 503), whatever the bit says.
      case REJECTED -> new Outcome.Rejected(status, Math.max(-1, retryAfterMs));
      case UNREACHABLE -> new Outcome.Unreachable(error, retryable);
      case TIMED_OUT -> new Outcome.TimedOut(error);
      case REFUSED -> new Outcome.Refused(status, error);
      case ABORTED -> new Outcome.Aborted(status);
      default -> throw impossible(reader, "an outcome of unknown kind " + kind);
    };
  }

  /** A failure stands for one status (a refusal for one of three); an answer's is the backend's. */
  private static boolean failureStatusFits(byte kind, int status) {
    return switch (kind) {
      case UNREACHABLE -> status == Outcome.UNREACHABLE;
      case TIMED_OUT -> status == Outcome.TIMED_OUT;
      case REFUSED -> Outcome.Refused.isRefusal(status);
      default -> true;
    };
  }

  private static MalformedFrameException impossible(Wire.Reader reader, String what) {
    return new MalformedFrameException(reader.sender(), "the " + WHAT + " holds " + what);
  }

  /** What the sender learns of an answer that could not be read: the backend may have had the webhook. */
  private static DeliveryResult unreadable(MalformedFrameException e) {
    return DeliveryResult.unanswered(new Outcome.Unreachable("unreadable reply from " + e.describeSender() + ": "
      + e.getMessage() + "; the backend may or may not have received the webhook", false), 0, null);
  }
}
