package io.hookcast.bus;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one backend made of one webhook: its {@link Outcome} and, when it answered, the answer.
 *
 * @param outcome    how it ended, classified once by the forwarder
 * @param body       the backend's response body as text, cut to the configured size; empty when there was no answer
 * @param truncated  whether {@code body} was cut
 * @param durationMs time from the forwarder taking the webhook to the end of the last answer (or the failure)
 * @param attempts   requests made to the backend (0 when none was: refused, or no reply from any forwarder)
 * @param node       the node whose forwarder delivered it, or {@code null} when no forwarder took it; for logs,
 *                   never shown to the sender
 * @param headers    the backend's end-to-end response headers in the order received ({@code Content-Type} among
 *                   them), so that a route answering with its primary backend's response can pass them on; empty
 *                   when there was no response; for a response, worked out when first read
 */
public record DeliveryResult(Outcome outcome, String body, boolean truncated, long durationMs, int attempts, String node,
                             List<Map.Entry<String, String>> headers) {

  public DeliveryResult {
    headers = headers instanceof LazyHeaders ? headers : List.copyOf(headers);
  }

  /** @param headers the response's end-to-end headers, asked for only if they are read */
  public static DeliveryResult answered(Outcome outcome, Supplier<List<Map.Entry<String, String>>> headers, String body,
                                        boolean truncated, long durationMs, String node) {
    return new DeliveryResult(outcome, body, truncated, durationMs, 1, node, new LazyHeaders(headers));
  }

  /** An outcome without an answer: one request when it was attempted, none when it was refused. */
  public static DeliveryResult unanswered(Outcome outcome, long durationMs, String node) {
    return new DeliveryResult(outcome, "", false, durationMs, outcome.attempted() ? 1 : 0, node, List.of());
  }

  public DeliveryResult withAttempts(int attempts, long durationMs) {
    return new DeliveryResult(outcome, body, truncated, durationMs, attempts, node, headers);
  }

  /** The status the sender sees for this backend. */
  public int status() {
    return outcome.status();
  }

  /** The short category of what went wrong when there was no answer, else {@code null}. */
  public String error() {
    return outcome.error();
  }

  /** Whether the sender should count this backend as failed: any status from 400 up. */
  public boolean isFailure() {
    return status() >= 400;
  }

  /**
   * Whether the backend itself failed: no answer (unreachable, timed out, refused) or a 5xx. A backend that answers,
   * even 4xx, is up and has judged the webhook.
   */
  public boolean backendFailed() {
    return status() >= 500;
  }
}
