package io.hookcast.ingress;

import io.vertx.core.http.HttpServerRequest;

/** The text of a webhook's access-log line. */
final class AccessLines {

  static final String REDACTED = "<redacted>";

  private AccessLines() {
  }

  /**
   * The target as the log shows it: with {@code fullQuery}, as sent; otherwise each query parameter's value is
   * replaced, names kept, so that a token some sender puts in the URL does not end up in the logs.
   */
  static String target(String target, boolean fullQuery) {
    int query = target.indexOf('?');
    if (fullQuery || query < 0) {
      return target;
    }
    StringBuilder shown = new StringBuilder(target.length()).append(target, 0, query + 1);
    int start = query + 1;
    while (start <= target.length()) {
      int end = target.indexOf('&', start);
      end = end < 0 ? target.length() : end;
      int equals = target.indexOf('=', start);
      shown.append(target, start, equals >= 0 && equals < end ? equals + 1 : end);
      if (equals >= 0 && equals < end) {
        shown.append(REDACTED);
      }
      if (end < target.length()) {
        shown.append('&');
      }
      start = end + 1;
    }
    return shown.toString();
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
