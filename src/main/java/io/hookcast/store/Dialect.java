package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What differs between the embedded store (SQLite) and PostgreSQL. Statements are written once with named parameters
 * ({@link Statement}), whose placeholders each client renders; what is left here differs in what the SQL says or
 * does.
 */
enum Dialect {

  /**
   * One process owns the database file ({@link DirectoryLock}) through one writer connection, so transactions run one
   * at a time and no row locks are needed to share work: a claim reads beside the writer and leases only the
   * deliveries still as it read them.
   */
  SQLITE {
    /**
     * Begun and ended in SQL on a connection left in autocommit, not through JDBC's transaction calls: SQLite rolls a
     * transaction back by itself on some errors (SQLITE_FULL: a full disk), after which the driver's own commit and
     * rollback fail and leave its connection believing it is still in one, so every later transaction failed too
     * until a restart. Here a failure ends with a ROLLBACK whose own failure (nothing left to roll back) is
     * ignored, and the next transaction begins afresh.
     */
    @Override
    <T> Future<T> inTransaction(StorePool pool, Function<SqlConnection, Future<T>> work) {
      return pool.withConnection(connection -> connection.query("BEGIN IMMEDIATE").execute()
        .compose(begun -> work.apply(connection))
        .compose(result -> connection.query("COMMIT").execute().map(result))
        .recover(failure -> connection.query("ROLLBACK").execute().transform(rolledBack -> Future.<T>failedFuture(failure))));
    }

    @Override
    String claimLock() {
      return "";
    }

    @Override
    String keyLock() {
      return "";
    }

    /** SQLITE_FULL (13), also as the primary code of an extended result code. */
    @Override
    boolean outOfSpace(Throwable failure) {
      return anyCause(failure, cause -> cause instanceof SQLException sql && (sql.getErrorCode() & 0xff) == SQLITE_FULL);
    }

    /** The JDBC client binds a Buffer as a Blob, which the SQLite driver does not take; a byte array binds plainly. */
    @Override
    Object binary(Buffer body) {
      return body.getBytes();
    }

    /** One query reads every key of the batch; new and renewed keys are then written in two JDBC batches. */
    @Override
    SenderIds senderIds(SqlClient pool) {
      ListStatement<NewMessage> read = new ListStatement<>(pool, "SELECT route, sender_id, message_id, accepted_at"
        + " FROM dedup_keys WHERE (route, sender_id) IN (VALUES %s)", "(#{route}, #{senderId})",
        Map.of("route", NewMessage::route, "senderId", NewMessage::senderId), SqlDeliveryStore.MAX_BATCH);
      Map<String, Function<Key, ?>> key = Map.of("messageId", Key::messageId, "acceptedAt", Key::acceptedAt,
        "route", Key::route, "senderId", Key::senderId);
      Statement<Key> insert = Statement.of(pool, "INSERT INTO dedup_keys (message_id, accepted_at, route, sender_id)"
        + " VALUES (#{messageId}, #{acceptedAt}, #{route}, #{senderId})", key);
      Statement<Key> update = Statement.of(pool, "UPDATE dedup_keys SET message_id = #{messageId}, accepted_at = #{acceptedAt}"
        + " WHERE route = #{route} AND sender_id = #{senderId}", key);
      return (connection, messages, ids) -> read.execute(connection, messages).compose(rows -> {
        Map<List<String>, KeyHolder> holders = new HashMap<>();
        for (Row row : rows) {
          holders.put(List.of(row.getString(0), row.getString(1)), new KeyHolder(row.getString(2), row.getLong(3), true, false));
        }
        String[] firsts = new String[messages.size()];
        for (int i = 0; i < messages.size(); i++) {
          NewMessage message = messages.get(i);
          List<String> held = List.of(message.route(), message.senderId());
          KeyHolder holder = holders.get(held);
          if (holder != null && holder.acceptedAt() >= message.dedupSince().toEpochMilli()) {
            firsts[i] = holder.messageId();
          } else {
            holders.put(held, new KeyHolder(ids.get(i), message.receivedAt().toEpochMilli(), holder != null && holder.stored(), true));
          }
        }
        List<Key> inserts = new ArrayList<>();
        List<Key> updates = new ArrayList<>();
        holders.forEach((held, holder) -> {
          if (holder.changed()) {
            (holder.stored() ? updates : inserts).add(new Key(held.get(0), held.get(1), holder.messageId(), holder.acceptedAt()));
          }
        });
        return batch(connection, insert, inserts).compose(v -> batch(connection, update, updates)).map(firsts);
      });
    }

    private Future<Void> batch(SqlConnection connection, Statement<Key> statement, List<Key> rows) {
      return rows.isEmpty() ? Future.succeededFuture() : statement.executeBatch(connection, rows).mapEmpty();
    }

    /** The JDBC client answers a batch with one row per statement, holding its update count. */
    @Override
    int[] updateCounts(RowSet<Row> batch, int statements) {
      int[] counts = new int[statements];
      int i = 0;
      for (Row row : batch) {
        counts[i++] = row.getInteger(0);
      }
      return counts;
    }

    /** SQLite has no boolean type: a BOOLEAN column holds 0 or 1. */
    @Override
    boolean flag(Row row, int column) {
      return row.getInteger(column) != 0;
    }
  },

  /**
   * Several nodes share the database: due deliveries are locked with {@code SKIP LOCKED} so that each node claims
   * different ones, and the dedup key is taken by an upsert on its primary key, which waits for a concurrent
   * transaction holding the same key instead of reading a stale "absent".
   */
  POSTGRESQL {
    @Override
    String claimLock() {
      return " FOR UPDATE OF d SKIP LOCKED";
    }

    /**
     * Two nodes claiming at the same instant lock different rows, and each may see the other's claim of the same
     * key as not yet made; a transaction-scoped advisory lock per backend and key lets one of them take the key.
     */
    @Override
    String keyLock() {
      return " AND pg_try_advisory_xact_lock(hashtext(d.backend || ' ' || d.order_key))";
    }

    @Override
    <T> Future<T> inTransaction(StorePool pool, Function<SqlConnection, Future<T>> work) {
      // Not Pool.withTransaction, which takes a connection of its own, out of the pool's watch for hanging work.
      return pool.withConnection(connection -> connection.begin().compose(transaction -> work.apply(connection).compose(
        result -> transaction.commit().map(result),
        failure -> transaction.rollback().transform(rolledBack -> Future.<T>failedFuture(failure)))));
    }

    /** SQLSTATE 53100, disk_full. */
    @Override
    boolean outOfSpace(Throwable failure) {
      return anyCause(failure, cause -> cause instanceof DatabaseException database && DISK_FULL.equals(database.getSqlState()));
    }

    @Override
    Object binary(Buffer body) {
      return body;
    }

    /** All upserts are sent at once: the client pipelines them on the connection, in the batch's key order. */
    @Override
    SenderIds senderIds(SqlClient pool) {
      Map<String, Function<Claim, ?>> claim = Map.of("route", c -> c.message().route(),
        "senderId", c -> c.message().senderId(), "messageId", Claim::id,
        "acceptedAt", c -> c.message().receivedAt().toEpochMilli(), "since", c -> c.message().dedupSince().toEpochMilli());
      Statement<Claim> upsert = Statement.of(pool, "INSERT INTO dedup_keys (route, sender_id, message_id, accepted_at)"
          + " VALUES (#{route}, #{senderId}, #{messageId}, #{acceptedAt}) ON CONFLICT (route, sender_id) DO UPDATE"
          + " SET message_id = EXCLUDED.message_id, accepted_at = EXCLUDED.accepted_at"
          + " WHERE dedup_keys.accepted_at < #{since} RETURNING message_id", claim);
      Statement<Claim> holder = Statement.of(pool, "SELECT message_id FROM dedup_keys WHERE route = #{route}"
        + " AND sender_id = #{senderId}", claim);
      return (connection, messages, ids) -> {
        List<Future<String>> firsts = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
          Claim taking = new Claim(messages.get(i), ids.get(i));
          firsts.add(upsert.execute(connection, taking).compose(rows -> rows.size() == 1
            ? Future.succeededFuture((String) null)
            : holder.execute(connection, taking).map(existing -> existing.iterator().next().getString(0))));
        }
        return Future.all(firsts).map(all -> firsts.stream().map(Future::result).toArray(String[]::new));
      };
    }
  };

  /** A BOOLEAN column's value. */
  boolean flag(Row row, int column) {
    return row.getBoolean(column);
  }

  /** The update count of each statement of an {@code executeBatch}, in order. */
  int[] updateCounts(RowSet<Row> batch, int statements) {
    int[] counts = new int[statements];
    RowSet<Row> result = batch;
    for (int i = 0; i < statements; i++) {
      counts[i] = result.rowCount();
      result = result.next();
    }
    return counts;
  }

  private static final int SQLITE_FULL = 13;
  private static final String DISK_FULL = "53100";

  private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (test.test(cause)) {
        return true;
      }
    }
    return false;
  }

  /** A body as this client binds it to a binary column. */
  abstract Object binary(Buffer body);

  /** Appended to the claim query. */
  abstract String claimLock();

  /**
   * A condition of the claim of a keyed delivery {@code d} that holds for one claim transaction per backend and key
   * at a time: empty where one process owns the store.
   */
  abstract String keyLock();

  /** Runs {@code work} in one transaction on a connection of {@code pool}: committed if it succeeds, else rolled back. */
  abstract <T> Future<T> inTransaction(StorePool pool, Function<SqlConnection, Future<T>> work);

  /** Whether {@code failure} says the database has no room left on its disk: by error code, never by message. */
  abstract boolean outOfSpace(Throwable failure);

  /** How this database takes dedup keys, its statements made once for {@code pool}. */
  abstract SenderIds senderIds(SqlClient pool);

  interface SenderIds {
    /**
     * Takes each message's (route, sender id) for its id inside the accept transaction; {@code messages} are in key
     * order, so that two nodes' batches never wait for each other's keys in a cycle.
     *
     * @return per message: null when its id took the key, else the id of the earlier message holding it in the window
     */
    Future<String[]> claim(SqlConnection connection, List<NewMessage> messages, List<String> ids);
  }

  /** Who holds a dedup key: as read ({@code stored}), and whether this batch takes it ({@code changed}). */
  private record KeyHolder(String messageId, long acceptedAt, boolean stored, boolean changed) {
  }

  /** A dedup key as written, with its holder. */
  private record Key(String route, String senderId, String messageId, long acceptedAt) {
  }

  /** A message taking its key for {@code id}. */
  private record Claim(NewMessage message, String id) {
  }
}
