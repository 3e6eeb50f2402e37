package io.hookcast.ingress;

import io.vertx.core.http.HttpConnection;

import java.util.HashSet;
import java.util.Set;

/**
 * Connections answered with {@code Connection: close} and about to be closed. Vert.x still parses and dispatches
 * requests pipelined after such an answer; none of them may be handled, let alone forwarded, since what follows a
 * refused request (a smuggled request behind a conflicting Content-Length, the rest of an unread body) cannot be
 * trusted to be a request at all. Confined to one ingress verticle's event loop.
 */
final class ClosingConnections {

  private final Set<HttpConnection> closing = new HashSet<>();

  void add(HttpConnection connection) {
    closing.add(connection);
  }

  void closed(HttpConnection connection) {
    closing.remove(connection);
  }

  boolean contains(HttpConnection connection) {
    return closing.contains(connection);
  }
}
