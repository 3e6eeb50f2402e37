package io.hookcast.ingress;

import io.hookcast.deadline.Deadlines;
import io.hookcast.deadline.Deadlines.Deadline;
import io.vertx.core.http.HttpConnection;

import java.util.HashMap;
import java.util.Map;

/**
 * Closes connections whose request headers do not arrive within the request timeout. The idle timeout alone
 * does not stop a slowloris client, which sends a header byte now and then and so is never idle.
 * Confined to one ingress verticle's event loop.
 */
final class ConnectionGuard {

  private final Deadlines deadlines;
  private final long timeoutMs;
  private final Map<HttpConnection, Deadline> awaitingHeaders = new HashMap<>();

  ConnectionGuard(Deadlines deadlines, long timeoutMs) {
    this.deadlines = deadlines;
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
    awaitingHeaders.put(connection, deadlines.after(timeoutMs, () -> {
      awaitingHeaders.remove(connection);
      connection.close();
    }));
  }

  void headersArrived(HttpConnection connection) {
    cancel(connection);
  }

  private void cancel(HttpConnection connection) {
    Deadline deadline = awaitingHeaders.remove(connection);
    if (deadline != null) {
      deadline.cancel();
    }
  }
}
