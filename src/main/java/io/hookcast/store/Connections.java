package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * A pool's connections, each lent for one piece of work; on PostgreSQL, a connection whose work has not ended within
 * {@code hangMs} is closed. A server process that hangs, or a peer that vanished without a word (a failover, a
 * partition), leaves the work on its connection waiting with no end: the client has no read timeout (vertx-sql-client
 * 5.0.7 gives a PostgreSQL connection default socket options, whatever the pool is built with), and the kernel gives
 * up on an unanswered socket only after many minutes, on one that still acknowledges never. Meanwhile the connection
 * is lent and a lane's claim or a batch of records waits on it, and after a few such connections the pool has none
 * left. Closing it fails the work, which its caller retries, and the pool replaces it.
 *
 * <p>The socket is reached through the client's internal classes, as {@link Statement} reaches its templates: an
 * upgrade that moves them fails the build, and PostgresHangTest checks the closing on a real server.
 */
final class Connections {

  private static final Logger LOG = LoggerFactory.getLogger(Connections.class);

  private final Pool pool;
  private final Vertx vertx;
  private final long hangMs;
  private final String named;

  /**
   * @param hangMs how long work may take before its connection is taken to hang and closed; 0 for never (the embedded
   *               store: its work is JDBC calls on worker threads, which nothing can cut short, and SQLite's own
   *               busy timeout bounds its waits)
   * @param named  the store, as log lines name it
   */
  Connections(Pool pool, Vertx vertx, long hangMs, String named) {
    this.pool = pool;
    this.vertx = vertx;
    this.hangMs = hangMs;
    this.named = named;
  }

  /** For rendering statements in the pool's placeholders, and for running one outside any work of this class. */
  Pool client() {
    return pool;
  }

  /** {@code work} on a connection of its own, given back to the pool when the work's future ends. */
  <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    return pool.getConnection().compose(connection -> {
      long watch = hangMs == 0 ? -1 : vertx.setTimer(hangMs, id -> close(connection));
      Future<T> done;
      try {
        done = work.apply(connection);
      } catch (RuntimeException e) {
        done = Future.failedFuture(e);
      }
      return done.onComplete(ended -> {
        if (watch != -1) {
          vertx.cancelTimer(watch);
        }
        connection.close();
      });
    });
  }

  private void close(SqlConnection connection) {
    if (((SqlConnectionInternal) connection).unwrap().unwrap() instanceof SocketConnectionBase socket) {
      LOG.warn(named + ": work on a connection has not ended within " + hangMs + " ms (three times store.timeoutMs):"
        + " closing the connection, as the server or the network to it hangs; what ran on it fails, and the pool opens"
        + " another");
      // From the pipeline's first handler, past the client's own: its close waits for the work in flight to end first.
      socket.socket().channelHandlerContext().pipeline().firstContext().close();
    }
  }

  Future<Void> close() {
    return pool.close();
  }
}
