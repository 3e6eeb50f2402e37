package io.hookcast.http;

import io.hookcast.bus.DeliveryResult;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/** The text of a webhook's access-log line. */
final class AccessLines {

  private AccessLines() {
  }

  static String webhook(HttpServerRequest request, String target, List<String> backendNames, String requestId, int status,
                        int bodyBytes, long startNanos, List<DeliveryResult> results) {
    StringBuilder line = new StringBuilder(128)
      .append("webhook ").append(requestId).append(' ').append(request.method()).append(' ').append(Answers.printable(target))
      .append(' ').append(bodyBytes).append(" B -> ").append(status).append(" in ").append(Answers.elapsedMs(startNanos)).append(" ms [");
    for (int i = 0; i < results.size(); i++) {
      DeliveryResult result = results.get(i);
      if (i > 0) {
        line.append(", ");
      }
      line.append(backendNames.get(i)).append('=').append(result.status()).append(' ').append(result.durationMs()).append("ms");
      if (result.attempts() > 1) {
        line.append(' ').append(result.attempts()).append(" attempts");
      }
      if (result.error() != null) {
        line.append(" (").append(result.error()).append(')');
      }
    }
    return line.append(']').toString();
  }
}
