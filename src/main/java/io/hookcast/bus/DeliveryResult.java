package io.hookcast.bus;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one backend made of one webhook.
 *
 * @param status     the backend's HTTP status, or the status standing for a failure to get one (502, 503, 504)
 * @param body       the backend's response body as text, cut to the configured size
 * @param truncated  whether {@code body} was cut
 * @param durationMs time from the forwarder taking the webhook to the end of the last answer (or the failure)
 * @param attempts   requests made to the backend (0 when none was: circuit open, overloaded, no forwarder)
 * @param error      what went wrong when no response was had, as a short category the sender may see (never
 *                   an address or an exception's text), else {@code null}
 * @param node       the node whose forwarder delivered it, or {@code null} when no forwarder took it; for logs,
 *                   never shown to the sender
 * @param headers    the backend's end-to-end response headers in the order received ({@code Content-Type} among
 *                   them), so that a route answering with its primary backend's response can pass them on; empty
 *                   when there was no response; for a response, worked out when first read
 * @param retryable  whether another attempt is safe and useful now, as the forwarder classified the exchange: nothing
 *                   reached the backend, or it asked to be tried again later (see the forwarder's RetryPolicy)
 */
public record DeliveryResult(int status, String body, boolean truncated, long durationMs, int attempts, String error, String node,
                             List<Map.Entry<String, String>> headers, boolean retryable) {

  public static final int UNREACHABLE = 502;
  public static final int UNAVAILABLE = 503;
  public static final int TIMED_OUT = 504;

  public DeliveryResult {
    headers = headers instanceof LazyHeaders ? headers : List.copyOf(headers);
  }

  /** @param headers the response's end-to-end headers, asked for only if they are read */
  public static DeliveryResult answered(int status, Supplier<List<Map.Entry<String, String>>> headers, String body,
                                        boolean truncated, long durationMs, String node) {
    return new DeliveryResult(status, body, truncated, durationMs, 1, null, node, new LazyHeaders(headers), false);
  }

  public static DeliveryResult failed(int status, String error, long durationMs, String node) {
    return new DeliveryResult(status, "", false, durationMs, 1, error, node, List.of(), false);
  }

  /** Refused without contacting the backend. */
  public static DeliveryResult refused(int status, String error, String node) {
    return new DeliveryResult(status, "", false, 0, 0, error, node, List.of(), false);
  }

  public DeliveryResult withAttempts(int attempts, long durationMs) {
    return new DeliveryResult(status, body, truncated, durationMs, attempts, error, node, headers, retryable);
  }

  public DeliveryResult withRetryable(boolean retryable) {
    return new DeliveryResult(status, body, truncated, durationMs, attempts, error, node, headers, retryable);
  }

  /** The wait the backend asked for with {@code Retry-After}, in milliseconds, or -1 when it asked for none. */
  public long retryAfterMs() {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(RetryAfter.HEADER)) {
        return RetryAfter.parseMs(header.getValue());
      }
    }
    return -1;
  }

  public boolean isFailure() {
    return status >= 400;
  }
}
