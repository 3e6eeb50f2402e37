package io.hookcast.ingress;

import io.hookcast.deadline.Deadlines;
import io.hookcast.deadline.Deadlines.Deadline;
import io.vertx.core.http.HttpConnection;

import java.util.HashMap;
import java.util.Map;

/**
 * Closes connections whose request headers do not arrive within the request timeout. The idle timeout alone
 * does not stop a slowloris client, which sends a header byte now and then and so is never idle. The timeout runs
 * only while a connection has no request under way: an HTTP/2 connection carries several at once, and answering one
 * must not start a clock that closes it under the others.
 * Confined to one ingress verticle's event loop.
 */
final class ConnectionGuard {

  private final Deadlines deadlines;
  private final long timeoutMs;
  private final Map<HttpConnection, Deadline> awaitingHeaders = new HashMap<>();
  /** Requests under way, by connection; absent when none is. */
  private final Map<HttpConnection, Integer> underWay = new HashMap<>();

  ConnectionGuard(Deadlines deadlines, long timeoutMs) {
    this.deadlines = deadlines;
    this.timeoutMs = timeoutMs;
  }

  void opened(HttpConnection connection) {
    awaitHeaders(connection);
  }

  void closed(HttpConnection connection) {
    cancel(connection);
    underWay.remove(connection);
  }

  void headersArrived(HttpConnection connection) {
    cancel(connection);
    underWay.merge(connection, 1, Integer::sum);
  }

  /** A response has ended: once none is left under way, the next request's headers are due. */
  void answered(HttpConnection connection) {
    int left = underWay.getOrDefault(connection, 1) - 1;
    if (left > 0) {
      underWay.put(connection, left);
    } else {
      underWay.remove(connection);
      awaitHeaders(connection);
    }
  }

  private void awaitHeaders(HttpConnection connection) {
    cancel(connection);
    awaitingHeaders.put(connection, deadlines.after(timeoutMs, () -> {
      awaitingHeaders.remove(connection);
      connection.close();
    }));
  }

  private void cancel(HttpConnection connection) {
    Deadline deadline = awaitingHeaders.remove(connection);
    if (deadline != null) {
      deadline.cancel();
    }
  }
}
