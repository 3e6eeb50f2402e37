package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What one backend made of one webhook: its {@link Outcome} and, when it answered, the answer.
 *
 * @param outcome    how it ended, classified once by the forwarder
 * @param body       the backend's response body as the bytes it sent, cut to the configured size; empty when there
 *                   was no answer. Shared, not copied, by whatever passes the result on, so never written to. Read as
 *                   text only where text is wanted, through {@link #text()} or {@link #textHead(int)}
 * @param truncated  whether {@code body} was cut
 * @param durationMs time from the forwarder taking the webhook to the end of the last answer (or the failure)
 * @param attempts   requests made to the backend (0 when none was: refused, or no reply from any forwarder)
 * @param node       the node whose forwarder delivered it, or {@code null} when no forwarder took it; for logs,
 *                   never shown to the sender
 * @param headers    the backend's end-to-end response headers in the order received ({@code Content-Type} among
 *                   them), so that a route answering with its primary backend's response can pass them on; empty
 *                   when there was no response; for a response, worked out when first read
 */
public record DeliveryResult(Outcome outcome, Buffer body, boolean truncated, long durationMs, int attempts, String node,
                             List<Map.Entry<String, String>> headers) {

  /** The body of results without one (no answer, an empty answer), which then need no buffer of their own. */
  public static final Buffer NO_BODY = Buffer.buffer(0);

  public DeliveryResult {
    Objects.requireNonNull(body, "body");
    headers = headers instanceof LazyHeaders ? headers : List.copyOf(headers);
  }

  /** @param headers the response's end-to-end headers, asked for only if they are read */
  public static DeliveryResult answered(Outcome outcome, Supplier<List<Map.Entry<String, String>>> headers, Buffer body,
                                        boolean truncated, long durationMs, String node) {
    return new DeliveryResult(outcome, body, truncated, durationMs, 1, node, new LazyHeaders(headers));
  }

  /** An outcome without an answer: one request when it was attempted, none when it was refused. */
  public static DeliveryResult unanswered(Outcome outcome, long durationMs, String node) {
    return new DeliveryResult(outcome, NO_BODY, false, durationMs, outcome.attempted() ? 1 : 0, node, List.of());
  }

  public DeliveryResult withAttempts(int attempts, long durationMs) {
    return new DeliveryResult(outcome, body, truncated, durationMs, attempts, node, headers);
  }

  /**
   * The body read as UTF-8, with U+FFFD for what is not UTF-8, for what shows an answer as text. A cut body may end
   * inside a character that the backend sent whole: that character is left out, not shown as U+FFFD.
   */
  public String text() {
    return truncated ? withoutCutCharacter(body) : body.toString();
  }

  /**
   * The first {@code maxChars} characters of {@link #text()} (fewer rather than half of a surrogate pair), read from
   * the start of the body alone: no char of the text comes from more than three bytes (four make a pair, and one
   * U+FFFD stands for three at most), so the first {@code 4 * maxChars} bytes hold them, and the character those
   * bytes may cut lies beyond them.
   */
  public String textHead(int maxChars) {
    int headBytes = 4 * maxChars;
    String text = body.length() <= headBytes ? text() : withoutCutCharacter(body.slice(0, headBytes));
    if (text.length() <= maxChars) {
      return text;
    }
    return text.substring(0, Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars);
  }

  /** Decoded as if more were to come: an incomplete sequence at the end waits for bytes that never arrive. */
  private static String withoutCutCharacter(Buffer cut) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    CharBuffer text = CharBuffer.allocate(cut.length());
    decoder.decode(ByteBuffer.wrap(cut.getBytes()), text, false);
    return text.flip().toString();
  }

  /** The status the sender sees for this backend. */
  public int status() {
    return outcome.status();
  }

  /** The short category of what went wrong when there was no answer, else {@code null}. */
  public String error() {
    return outcome.error();
  }

  /**
   * Whether the sender should count this backend as failed: anything but a 2xx, as an async route counts it. A 3xx
   * too: Hookcast follows no redirect (nor do GitHub or Stripe), so the webhook did not reach the application.
   */
  public boolean isFailure() {
    return !(outcome instanceof Outcome.Delivered);
  }

  /**
   * Whether the backend itself failed: no answer (unreachable, timed out, refused) or a 5xx. A backend that answers,
   * even 4xx, is up and has judged the webhook.
   */
  public boolean backendFailed() {
    return status() >= 500;
  }
}
