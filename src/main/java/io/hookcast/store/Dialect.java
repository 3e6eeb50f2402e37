package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

/**
 * What differs between the embedded H2 store and PostgreSQL. Queries are written once with {@code ?} placeholders.
 */
enum Dialect {

  /**
   * One process owns the database file (H2 locks it), and the store runs one accept batch and one claim at a time,
   * so a read-then-write is correct and no row locks are needed to share work.
   */
  H2 {
    @Override
    String sql(String query) {
      return query;
    }

    @Override
    String claimLock() {
      return "";
    }

    /** The JDBC client binds a Buffer as a Blob it positions from 0, which H2 rejects; a byte array binds plainly. */
    @Override
    Object binary(Buffer body) {
      return body.getBytes();
    }

    @Override
    Future<String> claimSenderId(SqlConnection connection, NewMessage message, String id) {
      Tuple key = Tuple.of(message.route(), message.senderId());
      return connection.preparedQuery("SELECT message_id, accepted_at FROM dedup_keys WHERE route = ? AND sender_id = ?")
        .execute(key)
        .compose(rows -> {
          Tuple claim = Tuple.of(id, message.receivedAt().toEpochMilli(), message.route(), message.senderId());
          if (rows.size() == 0) {
            return connection.preparedQuery("INSERT INTO dedup_keys (message_id, accepted_at, route, sender_id) VALUES (?, ?, ?, ?)")
              .execute(claim).map((String) null);
          }
          Row first = rows.iterator().next();
          if (first.getLong(1) >= message.dedupSince().toEpochMilli()) {
            return Future.succeededFuture(first.getString(0));
          }
          return connection.preparedQuery("UPDATE dedup_keys SET message_id = ?, accepted_at = ? WHERE route = ? AND sender_id = ?")
            .execute(claim).map((String) null);
        });
    }
  },

  /**
   * Several nodes share the database: due deliveries are locked with {@code SKIP LOCKED} so that each node claims
   * different ones, and the dedup key is taken by an upsert on its primary key, which waits for a concurrent
   * transaction holding the same key instead of reading a stale "absent".
   */
  POSTGRESQL {
    @Override
    String sql(String query) {
      StringBuilder numbered = new StringBuilder(query.length() + 16);
      int n = 0;
      for (int i = 0; i < query.length(); i++) {
        char c = query.charAt(i);
        if (c == '?') {
          numbered.append('$').append(++n);
        } else {
          numbered.append(c);
        }
      }
      return numbered.toString();
    }

    @Override
    String claimLock() {
      return " FOR UPDATE OF d SKIP LOCKED";
    }

    @Override
    Object binary(Buffer body) {
      return body;
    }

    @Override
    Future<String> claimSenderId(SqlConnection connection, NewMessage message, String id) {
      return connection.preparedQuery("INSERT INTO dedup_keys (route, sender_id, message_id, accepted_at) VALUES ($1, $2, $3, $4)"
          + " ON CONFLICT (route, sender_id) DO UPDATE SET message_id = EXCLUDED.message_id, accepted_at = EXCLUDED.accepted_at"
          + " WHERE dedup_keys.accepted_at < $5 RETURNING message_id")
        .execute(Tuple.of(message.route(), message.senderId(), id, message.receivedAt().toEpochMilli(),
          message.dedupSince().toEpochMilli()))
        .compose((RowSet<Row> rows) -> rows.size() == 1
          ? Future.succeededFuture((String) null)
          : connection.preparedQuery("SELECT message_id FROM dedup_keys WHERE route = $1 AND sender_id = $2")
            .execute(Tuple.of(message.route(), message.senderId()))
            .map(existing -> existing.iterator().next().getString(0)));
    }
  };

  /** The query with this database's placeholders. */
  abstract String sql(String query);

  /** A body as this client binds it to a binary column. */
  abstract Object binary(Buffer body);

  /** Appended to the claim query. */
  abstract String claimLock();

  /**
   * Takes the message's (route, sender id) for {@code id} inside the accept transaction.
   *
   * @return null when {@code id} took it, else the id of the earlier message that holds it within the window
   */
  abstract Future<String> claimSenderId(SqlConnection connection, NewMessage message, String id);
}
