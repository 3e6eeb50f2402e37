package io.hookcast.ingress;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.concurrent.TimeUnit;

/** What every answer to a sender has in common. */
final class Answers {

  private static final String JSON = "application/json";
  private static final int MAX_LOGGED_TARGET = 300;

  private Answers() {
  }

  static Future<Void> write(HttpServerResponse response, String requestId, int status, Buffer body) {
    return write(response, requestId, status, JSON, body);
  }

  /** @param contentType {@code null} to send none */
  static Future<Void> write(HttpServerResponse response, String requestId, int status, String contentType, Buffer body) {
    if (response.closed()) {
      return Future.failedFuture("connection closed before the answer");
    }
    if (contentType != null) {
      response.putHeader(HttpHeaders.CONTENT_TYPE, contentType);
    }
    return response.setStatusCode(status)
      .putHeader(RequestIds.HEADER, requestId)
      .end(body);
  }

  /**
   * A request target as it may appear in a log line: bounded, control characters escaped. Those of Latin-1 too
   * (U+0080-U+009F): the request line's bytes arrive one character each, and NEL starts a new line for some log
   * readers while CSI drives a terminal following the log.
   */
  static String printable(String target) {
    if (target == null) {
      return "-";
    }
    StringBuilder out = new StringBuilder(Math.min(target.length(), MAX_LOGGED_TARGET) + 8);
    for (int i = 0; i < target.length() && i < MAX_LOGGED_TARGET; i++) {
      char c = target.charAt(i);
      if (Character.isISOControl(c)) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return target.length() > MAX_LOGGED_TARGET ? out.append("...").toString() : out.toString();
  }

  static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
