package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Copies the embedded store's write-ahead log back into its database file on a connection of its own, beside the
 * writer. Left to SQLite, the commit that fills the log past its threshold does the copy and syncs the database file
 * before it returns, and every accept queued behind that commit waits for both. A passive checkpoint never waits for
 * the writer nor holds it up; the writer's connection has its own checkpoints turned off ({@link #WRITER_SETTING}).
 * A log that passive checkpoints cannot catch up with (the writer never pauses) is copied in full with writers held
 * off, once it passes {@link #MAX_LOG_PAGES}: a longer wait for one commit rather than a log that grows without bound.
 */
final class WalCheckpoints {

  /** Run on the writer's connection once it is open. */
  static final String WRITER_SETTING = "PRAGMA wal_autocheckpoint = 0";
  private static final long PERIOD_MS = 200;
  /** About 256 MiB of log with SQLite's 4 KiB pages. */
  private static final long MAX_LOG_PAGES = 65_536;
  private static final long WARNING_PERIOD_MS = TimeUnit.MINUTES.toMillis(1);
  private static final Logger LOG = LoggerFactory.getLogger(WalCheckpoints.class);

  private final Vertx vertx;
  private final Pool connection;
  private final String named;
  private final long timer;
  private boolean running;
  private long lastWarning;

  private WalCheckpoints(Vertx vertx, String jdbcUrl, String named) {
    this.vertx = vertx;
    this.named = named;
    this.connection = JDBCPool.pool(vertx, new JDBCConnectOptions().setJdbcUrl(jdbcUrl),
      new PoolOptions().setMaxSize(1).setName("hookcast-store-checkpoints"));
    this.timer = vertx.setPeriodic(PERIOD_MS, PERIOD_MS, id -> checkpoint());
  }

  /** @param named the store as errors name it ("store.path '...'") */
  static WalCheckpoints start(Vertx vertx, String jdbcUrl, String named) {
    return new WalCheckpoints(vertx, jdbcUrl, named);
  }

  private void checkpoint() {
    if (running) {
      return;
    }
    running = true;
    connection.query("PRAGMA wal_checkpoint(PASSIVE)").execute()
      .compose(rows -> {
        Row row = rows.iterator().next();
        // Columns: busy, pages in the log, pages copied back.
        long logPages = row.getLong(1);
        return logPages > MAX_LOG_PAGES && row.getLong(2) < logPages
          ? connection.query("PRAGMA wal_checkpoint(RESTART)").execute().mapEmpty()
          : Future.succeededFuture();
      })
      .onComplete(ar -> {
        running = false;
        if (ar.failed()) {
          warn(ar.cause());
        }
      });
  }

  private void warn(Throwable cause) {
    long now = System.currentTimeMillis();
    // The writer's own failures (a full disk) answer senders 503 and say why; this only says the log is growing.
    if (now - lastWarning > WARNING_PERIOD_MS) {
      lastWarning = now;
      LOG.warn(named + ": copying the write-ahead log back into the database failed, the log grows until it works: " + cause);
    }
  }

  Future<Void> stop() {
    vertx.cancelTimer(timer);
    return connection.close();
  }
}
