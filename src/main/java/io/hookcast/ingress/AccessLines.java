package io.hookcast.ingress;

import io.vertx.core.http.HttpServerRequest;

/** The text of a webhook's access-log line. */
final class AccessLines {

  private AccessLines() {
  }

  /** @param outcome what the route made of it: each backend's result, or the stored message's id */
  static String webhook(HttpServerRequest request, String target, String requestId, int status, int bodyBytes, long startNanos,
                        String outcome) {
    return new StringBuilder(128)
      .append("webhook ").append(requestId).append(' ').append(request.method()).append(' ').append(Answers.printable(target))
      .append(' ').append(bodyBytes).append(" B -> ").append(status).append(" in ").append(Answers.elapsedMs(startNanos)).append(" ms ")
      .append(outcome).toString();
  }
}
