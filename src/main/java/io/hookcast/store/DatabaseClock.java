package io.hookcast.store;

import io.vertx.core.Future;

/**
 * The time as the database sees it, for leases: nodes sharing a PostgreSQL store take and check leases in its clock,
 * so that a node whose own clock runs ahead cannot take over a delivery whose lease has not ended. The database's
 * clock is read at open and every minute, and kept as an offset from this node's, corrected by half the round
 * trip; between readings the local clock's rate carries it. The embedded store's database lives in this process: its
 * clock is the local one.
 */
final class DatabaseClock {

  static final long SYNC_PERIOD_MS = 60_000;

  private volatile long offsetMs;

  long now() {
    return System.currentTimeMillis() + offsetMs;
  }

  /** Reads PostgreSQL's clock; a failed reading keeps the last offset (the store's own health checks say it is down). */
  Future<Void> sync(StorePool pool) {
    long sent = System.currentTimeMillis();
    return pool.withConnection(connection -> connection.query("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000"
      + " AS BIGINT)").execute()).map(rows -> {
      long received = System.currentTimeMillis();
      offsetMs = rows.iterator().next().getLong(0) - (sent + received) / 2;
      return null;
    });
  }
}
