package io.hookcast.ingress;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;

import java.util.HashMap;
import java.util.Map;

/**
 * Closes connections whose request headers do not arrive within the request timeout. The idle timeout alone
 * does not stop a slowloris client, which sends a header byte now and then and so is never idle.
 * Confined to one ingress verticle's event loop.
 */
final class ConnectionGuard {

  private final Vertx vertx;
  private final long timeoutMs;
  private final Map<HttpConnection, Long> awaitingHeaders = new HashMap<>();

  ConnectionGuard(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  void opened(HttpConnection connection) {
    awaitHeaders(connection);
  }

  void closed(HttpConnection connection) {
    cancel(connection);
  }

  /** The next request's headers are due: after the connection opened, or after a response on a kept-alive one. */
  void awaitHeaders(HttpConnection connection) {
    cancel(connection);
    awaitingHeaders.put(connection, vertx.setTimer(timeoutMs, id -> {
      awaitingHeaders.remove(connection);
      connection.close();
    }));
  }

  void headersArrived(HttpConnection connection) {
    cancel(connection);
  }

  private void cancel(HttpConnection connection) {
    Long timer = awaitingHeaders.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
