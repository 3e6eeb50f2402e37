package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * The store's connections, each lent for one piece of work; on PostgreSQL, a connection whose work has not ended
 * within {@link #hangMs} is closed. A server process that hangs, or a peer that vanished without a word (a failover,
 * a partition), leaves the work on its connection waiting with no end: the client has no read timeout
 * (vertx-sql-client 5.0.7 gives a PostgreSQL connection default socket options, whatever the pool is built with), and
 * the kernel gives up on an unanswered socket only after many minutes, on one that still acknowledges never.
 * Meanwhile the connection is lent, a lane's claim or a batch of records waits on it, and after a few such
 * connections the pool has none left. Closed, the connection fails the work on it (a lane claims again, a record is
 * written again, an operator's page answers an error) and leaves the pool, which opens a new one when asked.
 *
 * <p>The socket is reached through the client's internal classes, as {@link Statement} reaches its templates: an
 * upgrade that moves them fails the build, and PostgresHangTest checks the closing on a real server.
 */
final class StorePool {

  private static final Logger LOG = LoggerFactory.getLogger(StorePool.class);
  /** Below this, work that is only slow (a claim reading large bodies) would be cut on every try. */
  private static final long MIN_HANG_MS = 5_000;

  private final Pool pool;
  private final Vertx vertx;
  private final long hangMs;
  private final String named;

  /**
   * @param hangMs how long work may take before its connection is taken to hang and closed; 0 for never
   * @param named  the store, as log lines name it
   */
  StorePool(Pool pool, Vertx vertx, long hangMs, String named) {
    this.pool = pool;
    this.vertx = vertx;
    this.hangMs = hangMs;
    this.named = named;
  }

  /**
   * Three store timeouts, as GroupCommit waits for a batch that outlived its own, and at least {@link #MIN_HANG_MS};
   * 0 on the embedded store, whose work is JDBC calls on worker threads that nothing can cut short (SQLite's busy
   * timeout bounds its waits).
   */
  static long hangMs(StoreConfig config) {
    return config.embedded() ? 0 : Math.max(MIN_HANG_MS, GroupCommit.UNFINISHED_TIMEOUTS * config.timeoutMs());
  }

  /** The client that statements are rendered for, in its placeholders. */
  Pool client() {
    return pool;
  }

  /**
   * {@code work} on a connection of its own, given back to the pool when the work's future ends; a connection closed
   * for hanging only once it has left the pool, so that it is never lent again.
   */
  <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    if (hangMs == 0) {
      return pool.getConnection().compose(connection -> run(work, connection).onComplete(ended -> connection.close()));
    }
    return pool.getConnection().compose(connection -> {
      Promise<Void> removed = Promise.promise();
      // On the caller's context, as the end of the work below: cancelled there, the timer has not fired.
      long watch = vertx.setTimer(hangMs, id -> close(connection, removed));
      return run(work, connection).onComplete(ended -> {
        if (vertx.cancelTimer(watch)) {
          connection.close();
        } else {
          removed.future().onComplete(r -> connection.close());
        }
      });
    });
  }

  /** The work's future, also when it throws rather than fail: a connection is given back either way. */
  private static <T> Future<T> run(Function<SqlConnection, Future<T>> work, SqlConnection connection) {
    try {
      return work.apply(connection);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void close(SqlConnection connection, Promise<Void> removed) {
    if (!(((SqlConnectionInternal) connection).unwrap().unwrap() instanceof SocketConnectionBase socket)) {
      removed.complete();
      return;
    }
    LOG.warn(named + ": work on a connection has not ended within " + hangMs + " ms: closing the connection, as the"
      + " server, a lock the work waits for or the network to the server hangs; the work fails (its outcome unknown if"
      + " it was committing)");
    Channel channel = socket.socket().channelHandlerContext().channel();
    // From the pipeline's first handler, past the client's own: its close is queued behind the commands in flight,
    // and Vert.x's behind the writes waiting, which is what hangs.
    ChannelHandlerContext first = channel.pipeline().firstContext();
    if (first != null) {
      first.close();
    }
    // The client fails the work as the channel goes inactive, before the pool removes the connection in the same
    // event: a task queued on the channel's loop after the close runs once both are done.
    channel.closeFuture().addListener(closed -> channel.eventLoop().execute(removed::complete));
  }

  Future<Void> close() {
    return pool.close();
  }
}
