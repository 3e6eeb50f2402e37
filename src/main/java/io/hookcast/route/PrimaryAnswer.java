package io.hookcast.route;

import io.hookcast.bus.DeliveryResult;
import io.vertx.core.http.HttpHeaders;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The primary backend's response passed to the sender as it came: status, headers (the hop-by-hop ones were dropped
 * by the forwarder) and body. Providers' verification handshakes (Meta's {@code hub.challenge}, Slack's
 * {@code url_verification}, Microsoft Graph's {@code validationToken}, Zoom's {@code endpoint.url_validation},
 * Dropbox's {@code challenge}) expect exactly what the backend that implements them answers.
 */
final class PrimaryAnswer {

  private PrimaryAnswer() {
  }

  /**
   * Whether the primary's result can be the answer: it answered, and not with a 5xx, nor with a redirect, which took
   * nothing (Hookcast follows none) and would point the sender at the backend. Otherwise the sender gets the
   * aggregate, which names what failed and still has a status the sender retries on.
   *
   * @param result {@code null} when the primary's delivery condition did not hold and it was not called
   */
  static boolean canAnswer(DeliveryResult result) {
    return result != null && !result.backendFailed() && result.status() / 100 != 3;
  }

  static Answer of(DeliveryResult result, Supplier<String> logDetail) {
    String contentType = null;
    List<Map.Entry<String, String>> headers = new ArrayList<>(result.headers().size());
    for (Map.Entry<String, String> header : result.headers()) {
      if (header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE.toString())) {
        contentType = header.getValue();
      } else {
        headers.add(header);
      }
    }
    return new Answer(result.status(), contentType, result.body(), headers,
      result.truncated() ? () -> logDetail.get() + " (its body cut to the limit)" : logDetail);
  }
}
