package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * {@link DeliveryOperations} on the same Vert.x SQL client pool and schema as {@link SqlDeliveryStore}. Every write
 * runs in a transaction of its own (see {@link SqlDeliveryStore}'s write for why), and never touches a delivery that
 * is {@code delivering}: its lease holder records the attempt under way, which would overwrite any change.
 *
 * <p>A manual retry makes a delivery pending, due now and flagged {@code manual}; the scheduler that claims it makes
 * attempt n+1 and records it as manual, which clears the flag. If that attempt fails, the backend's schedule decides
 * what follows, as for any attempt: a delivery whose schedule had run out (a dead one, typically) is dead again at
 * once, and an operator retries it again when the backend is back.
 */
final class SqlDeliveryOperations implements DeliveryOperations {

  private static final Logger LOG = LoggerFactory.getLogger(SqlDeliveryOperations.class);

  /** Deliveries per transaction of {@link #retryAll}: short transactions, and a bounded burst of nudged claims. */
  static final int RETRY_BATCH = 500;
  private static final String PENDING = DeliveryStatus.PENDING.column();
  private static final String DELIVERING = DeliveryStatus.DELIVERING.column();
  private static final String CANCELLED = DeliveryStatus.CANCELLED.column();
  /**
   * While a status with an index of its own (V6: dead, cancelled) has at most this many deliveries, a page of them
   * is found from that index, their messages then sorted by receipt; with more, a page starts from the newest
   * message, as for other filters, and among so many soon finds its rows.
   */
  static final int FEW_ENDED = 10_000;
  /**
   * A delivery is under way while its lease holds; once that has ended its node died during it, and nothing but an
   * operator would ever end it should its backend be no longer configured.
   */
  private static final String NOT_UNDER_WAY = "(status <> #{delivering} OR next_attempt_at <= #{leaseNow})";
  /** An ended lease is let go of with it, so that its node's record, should it come after all, changes nothing. */
  private static final String LEASE_GONE = ", lease_owner = NULL, lease_token = NULL, lease_until = NULL";

  private final StorePool pool;
  private final StorePool reads;
  private final Dialect dialect;
  private final Handler<Set<String>> dueNow;
  private final LongSupplier leaseClock;
  private final Statement<Map<String, Object>> detail;
  private final ListStatement<String> deliveriesOf;
  private final Statement<Map<String, Object>> attemptsOf;
  private final Statement<Map<String, Object>> countActivity;
  /** For the statuses with an index of their own: their deliveries counted up to one past {@link #FEW_ENDED}. */
  private final Map<DeliveryStatus, Statement<Map<String, Object>>> countEnded = new EnumMap<>(DeliveryStatus.class);

  /**
   * @param reads      for the pages, the activity chart and a bulk retry's search, which only read: the operator's own
   *                   connections
   * @param dueNow     told, after a retry commits, which backends have deliveries due now
   * @param leaseClock the clock leases are taken in (the database's, on PostgreSQL), for telling one that ended
   */
  SqlDeliveryOperations(StorePool pool, StorePool reads, Dialect dialect, Handler<Set<String>> dueNow, LongSupplier leaseClock) {
    this.leaseClock = leaseClock;
    this.pool = pool;
    this.reads = reads;
    this.dialect = dialect;
    this.dueNow = dueNow;
    this.detail = Statement.named(reads.client(), "SELECT m.id, m.route, m.method, m.uri, OCTET_LENGTH(m.body), m.sender_id,"
      + " m.received_at, m.headers, SUBSTR(m.body, 1, #{bodyBytes}), m.trace_parent FROM messages m WHERE m.id = #{id}");
    this.deliveriesOf = new ListStatement<>(reads.client(), "SELECT d.message_id, d.backend, d.status, d.attempts, d.last_status,"
      + " d.last_error, d.next_attempt_at, d.order_key, (SELECT MIN(e.message_id) FROM deliveries e WHERE e.backend = d.backend"
      + " AND e.order_key = d.order_key AND e.message_id <> d.message_id" + SqlDeliveryStore.unfinished("e.status")
      // What holds it back, as a claim sees it: another of its key being delivered, or an earlier one pending.
      + " AND (e.status = '" + DeliveryStatus.DELIVERING.column() + "' OR e.message_id < d.message_id))"
      + " FROM deliveries d WHERE d.message_id IN (%s) ORDER BY d.message_id, d.backend", "#{id}", Map.of("id", id -> id), MAX_PAGE);
    this.attemptsOf = Statement.named(reads.client(), "SELECT backend, attempt, started_at, duration_ms, status, outcome, error,"
      + " response_head, node, manual FROM attempts WHERE message_id = #{messageId} ORDER BY backend, attempt");
    this.countActivity = Statement.named(reads.client(), "SELECT backend, minute_start, outcome, CAST(SUM(attempts) AS BIGINT)"
      + " FROM attempt_minutes WHERE minute_start >= #{since} GROUP BY backend, minute_start, outcome"
      + " ORDER BY minute_start, backend, outcome");
    for (DeliveryStatus ended : List.of(DeliveryStatus.DEAD, DeliveryStatus.CANCELLED)) {
      countEnded.put(ended, Statement.named(reads.client(), "SELECT COUNT(*) FROM (SELECT 1 FROM deliveries r WHERE"
        + withStatus("r", ended) + " LIMIT " + (FEW_ENDED + 1) + ") f"));
    }
  }

  @Override
  public Future<MessagePage> messages(MessageQuery query, int limit, String cursor) {
    if (limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit));
    }
    Cursor after;
    try {
      after = cursor == null ? null : Cursor.decode(cursor);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    StringBuilder filters = new StringBuilder();
    Map<String, Object> arguments = new HashMap<>();
    messageFilters(query, filters, arguments);
    if (query.backend() != null || query.status() != null) {
      filters.append(" AND EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id");
      deliveryFilters(query, filters, arguments);
      filters.append(')');
    }
    if (after != null) {
      filters.append(" AND (m.received_at < #{afterReceivedAt} OR (m.received_at = #{afterReceivedAt} AND m.id < #{afterId}))");
      arguments.put("afterReceivedAt", after.receivedAt());
      arguments.put("afterId", after.id());
    }
    // One more than asked: whether there is a next page, without a count.
    arguments.put("limit", limit + 1);
    return reads.withConnection(connection -> fewEnded(connection, query.status())
      // Made per call: its filters vary, and a page is an operator's read, off the hot path.
      .compose(few -> Statement.named(reads.client(), "SELECT m.id, m.route, m.method, m.uri, OCTET_LENGTH(m.body),"
          + " m.sender_id, m.received_at FROM messages m WHERE 1 = 1" + (few ? fromStatusIndex(query.status()) : "")
          + filters + " ORDER BY m.received_at DESC, m.id DESC LIMIT #{limit}")
        .execute(connection, arguments))
      .compose(rows -> {
        List<Row> page = new ArrayList<>(limit);
        for (Row row : rows) {
          if (page.size() < limit) {
            page.add(row);
          }
        }
        String next = rows.size() > limit
          ? new Cursor(page.get(limit - 1).getLong(6), page.get(limit - 1).getString(0)).encode() : null;
        return deliveries(connection, page.stream().map(row -> row.getString(0)).toList())
          .map(deliveries -> new MessagePage(page.stream()
            .map(row -> summary(row, deliveries.getOrDefault(row.getString(0), List.of()))).toList(), next));
      }));
  }

  @Override
  public Future<MessageDetail> message(String id, int bodyBytes) {
    return reads.withConnection(connection -> detail.execute(connection, Statement.arguments("id", id, "bodyBytes", bodyBytes))
      .compose(messages -> {
        if (messages.size() == 0) {
          return Future.succeededFuture();
        }
        Row message = messages.iterator().next();
        return deliveries(connection, List.of(id)).compose(deliveries -> attempts(connection, id).map(attempts -> {
          List<DeliverySummary> ofMessage = deliveries.getOrDefault(id, List.of());
          Map<String, List<StoredAttempt>> perBackend = new LinkedHashMap<>();
          ofMessage.forEach(delivery -> perBackend.put(delivery.backend(), attempts.getOrDefault(delivery.backend(), List.of())));
          return new MessageDetail(summary(message, ofMessage), HeadersColumn.decode(message.getString(7)),
            // SQLite's SUBSTR of an empty body is NULL.
            message.getValue(8) == null ? Buffer.buffer() : message.getBuffer(8), perBackend, message.getString(9));
        }));
      }));
  }

  @Override
  public Future<Changed> retry(String id, String backend) {
    long now = System.currentTimeMillis();
    // Due in the clock claims read (the database's, on PostgreSQL), as an accept's deliveries are.
    return change(id, backend, "UPDATE deliveries SET status = #{pending}, next_attempt_at = #{leaseNow}, manual = TRUE"
        + LEASE_GONE + ", updated_at = #{now} WHERE " + NOT_UNDER_WAY,
        Statement.arguments("pending", PENDING, "now", now, "delivering", DELIVERING, "leaseNow", leaseClock.getAsLong()))
      .map(applied -> {
        if (applied.changed().deliveries() > 0) {
          dueNow.handle(applied.backends());
        }
        return applied.changed();
      });
  }

  @Override
  public Future<Changed> cancel(String id, String backend) {
    return change(id, backend, "UPDATE deliveries SET status = #{cancelled}, manual = FALSE" + LEASE_GONE
        + ", updated_at = #{now} WHERE status IN (#{pending}, #{delivering}) AND " + NOT_UNDER_WAY,
      Statement.arguments("cancelled", CANCELLED, "now", System.currentTimeMillis(), "pending", PENDING, "delivering", DELIVERING,
        "leaseNow", leaseClock.getAsLong()))
      .map(Applied::changed);
  }

  /**
   * Runs {@code update} (its WHERE clause and {@code arguments} say which statuses it changes) on the message's
   * deliveries, or {@code backend}'s, in one transaction, after finding out whether they exist. Its statements are made
   * per call, as their text depends on {@code backend}: an operator's action, off the hot path.
   */
  private Future<Applied> change(String id, String backend, String update, Map<String, Object> arguments) {
    String onBackend = backend == null ? "" : " AND d.backend = #{backend}";
    arguments.put("id", id);
    arguments.put("backend", backend);
    Statement<Map<String, Object>> find = Statement.named(pool.client(), "SELECT d.backend"
      + " FROM messages m LEFT JOIN deliveries d ON d.message_id = m.id" + onBackend + " WHERE m.id = #{id}");
    Statement<Map<String, Object>> change = Statement.named(pool.client(), update + " AND message_id = #{id}"
      + (backend == null ? "" : " AND backend = #{backend}"));
    return dialect.inTransaction(pool, connection -> find.execute(connection, arguments)
      .compose(found -> {
        boolean exists = found.size() > 0 && (backend == null || found.iterator().next().getString(0) != null);
        if (!exists) {
          return Future.succeededFuture(new Applied(new Changed(false, 0), Set.<String>of()));
        }
        Set<String> backends = new LinkedHashSet<>();
        for (Row row : found) {
          if (row.getString(0) != null) {
            backends.add(row.getString(0));
          }
        }
        return change.execute(connection, arguments)
          .map(updated -> new Applied(new Changed(true, updated.rowCount()), backends));
      }));
  }

  /** @param backends the backends whose deliveries were found: a retry may have made them due */
  private record Applied(Changed changed, Set<String> backends) {
  }

  /**
   * A query without a status means every status but delivering, unless its lease has ended (its node died during
   * it), as for one message. Batches of {@value #RETRY_BATCH} deliveries, each in a transaction of its own, continuing after the last
   * (message id, backend) of the previous batch: a retried delivery may still match the query (status pending, or
   * no status) and is never met again, so this ends whatever the query.
   */
  @Override
  public Future<Integer> retryAll(MessageQuery query) {
    return retryBatch(query, null, null, 0);
  }

  private Future<Integer> retryBatch(MessageQuery query, String afterMessage, String afterBackend, int queuedSoFar) {
    long now = System.currentTimeMillis();
    long leaseNow = leaseClock.getAsLong();
    StringBuilder sql = new StringBuilder("SELECT d.message_id, d.backend FROM deliveries d"
      + " JOIN messages m ON m.id = d.message_id WHERE (d.status <> #{delivering} OR d.next_attempt_at <= #{leaseNow})");
    Map<String, Object> arguments = Statement.arguments("delivering", DELIVERING, "leaseNow", leaseNow);
    messageFilters(query, sql, arguments);
    deliveryFilters(query, sql, arguments);
    if (afterMessage != null) {
      sql.append(" AND (d.message_id > #{afterMessage} OR (d.message_id = #{afterMessage} AND d.backend > #{afterBackend}))");
      arguments.put("afterMessage", afterMessage);
      arguments.put("afterBackend", afterBackend);
    }
    sql.append(" ORDER BY d.message_id, d.backend LIMIT #{limit}");
    arguments.put("limit", RETRY_BATCH);
    // Made per batch: the filters vary, and a retry of many is an operator's action, off the hot path. The search
    // reads, off the writer: on a store of millions of finished deliveries it takes a while, and every accept would
    // wait for it. The update re-checks what may have changed since (a delivery's status and lease); the rest of the
    // query is the message's and the backend's, which never change.
    Statement<Map<String, Object>> select = Statement.named(reads.client(), sql.toString());
    return reads.withConnection(connection -> select.execute(connection, arguments))
      .compose(rows -> {
        List<String[]> keys = new ArrayList<>(rows.size());
        for (Row row : rows) {
          keys.add(new String[] {row.getString(0), row.getString(1)});
        }
        return keys.isEmpty() ? Future.succeededFuture(new Batch(keys, 0)) : queue(query, keys, now, leaseNow);
      })
      // Said here, once: the API has often answered by now (its bound is DeliveryOperations.ANSWER_MS), and no one
      // else would learn that the retry ended short.
      .onFailure(failure -> LOG.warn("a bulk retry stopped after making " + queuedSoFar + " deliveries due: the store"
        + " failed a batch (" + failure + "); asking again takes up the rest"))
      .compose(batch -> {
        if (batch.keys().isEmpty()) {
          return Future.succeededFuture(queuedSoFar);
        }
        if (batch.queued() > 0) {
          Set<String> backends = new LinkedHashSet<>();
          batch.keys().forEach(key -> backends.add(key[1]));
          dueNow.handle(backends);
        }
        int queued = queuedSoFar + batch.queued();
        if (batch.keys().size() < RETRY_BATCH) {
          return Future.succeededFuture(queued);
        }
        String[] last = batch.keys().get(batch.keys().size() - 1);
        return retryBatch(query, last[0], last[1], queued);
      });
  }

  private record Batch(List<String[]> keys, int queued) {
  }

  /** Makes the deliveries of {@code keys} that still match the query pending and due now, in one transaction. */
  private Future<Batch> queue(MessageQuery query, List<String[]> keys, long now, long leaseNow) {
    StringBuilder update = new StringBuilder("UPDATE deliveries SET status = #{pending}, next_attempt_at = #{leaseNow},"
      + " manual = TRUE" + LEASE_GONE + ", updated_at = #{now} WHERE " + NOT_UNDER_WAY
      + (query.status() == null ? "" : " AND status = #{status}") + " AND (message_id, backend) IN (VALUES ");
    Map<String, Object> arguments = Statement.arguments("pending", PENDING, "leaseNow", leaseNow, "now", now,
      "delivering", DELIVERING);
    if (query.status() != null) {
      arguments.put("status", query.status().column());
    }
    for (int i = 0; i < keys.size(); i++) {
      update.append(i == 0 ? "" : ", ").append("(#{message").append(i).append("}, #{backend").append(i).append("})");
      arguments.put("message" + i, keys.get(i)[0]);
      arguments.put("backend" + i, keys.get(i)[1]);
    }
    Statement<Map<String, Object>> change = Statement.named(pool.client(), update.append(')').toString());
    return dialect.inTransaction(pool, connection -> change.execute(connection, arguments))
      .map(updated -> new Batch(keys, updated.rowCount()));
  }

  @Override
  public Future<List<ActivityCount>> activity(Instant since) {
    return reads.withConnection(connection -> countActivity.execute(connection, Statement.arguments("since",
        since.toEpochMilli())))
      .map(rows -> {
        List<ActivityCount> counts = new ArrayList<>(rows.size());
        for (Row row : rows) {
          counts.add(new ActivityCount(row.getString(0), Instant.ofEpochMilli(row.getLong(1)), outcome(row.getString(2)),
            row.getLong(3)));
        }
        return counts;
      });
  }

  private static void messageFilters(MessageQuery query, StringBuilder sql, Map<String, Object> arguments) {
    if (query.route() != null) {
      sql.append(" AND m.route = #{route}");
      arguments.put("route", query.route());
    }
    if (query.senderId() != null) {
      sql.append(" AND m.sender_id = #{senderId}");
      arguments.put("senderId", query.senderId());
    }
    if (query.since() != null) {
      sql.append(" AND m.received_at >= #{since}");
      arguments.put("since", query.since().toEpochMilli());
    }
    if (query.until() != null) {
      sql.append(" AND m.received_at < #{until}");
      arguments.put("until", query.until().toEpochMilli());
    }
  }

  private static void deliveryFilters(MessageQuery query, StringBuilder sql, Map<String, Object> arguments) {
    if (query.backend() != null) {
      sql.append(" AND d.backend = #{backend}");
      arguments.put("backend", query.backend());
    }
    if (query.status() != null) {
      sql.append(" AND").append(withStatus("d", query.status()));
    }
  }

  /** Whether {@code status} has an index of its own and at most {@link #FEW_ENDED} deliveries. */
  private Future<Boolean> fewEnded(SqlConnection connection, DeliveryStatus status) {
    Statement<Map<String, Object>> count = countEnded.get(status);
    return count == null ? Future.succeededFuture(false)
      : count.execute(connection, Map.of()).map(rows -> rows.iterator().next().getLong(0) <= FEW_ENDED);
  }

  /** Messages among those with a delivery of {@code status}, read from its index (V6). */
  private static String fromStatusIndex(DeliveryStatus status) {
    return " AND m.id IN (SELECT r.message_id FROM deliveries r WHERE" + withStatus("r", status) + ")";
  }

  /**
   * A literal rather than a parameter: a partial index (V6) is used only where the query's own text says that its
   * rows have the index's status. A constant of ours, never a caller's text.
   */
  private static String withStatus(String alias, DeliveryStatus status) {
    return " " + alias + ".status = '" + status.column() + "'";
  }

  /** The deliveries of {@code messageIds}, by message id, each message's in backend order; one query. */
  private Future<Map<String, List<DeliverySummary>>> deliveries(SqlConnection connection, List<String> messageIds) {
    if (messageIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return deliveriesOf.execute(connection, messageIds).map(rows -> {
      Map<String, List<DeliverySummary>> byMessage = new HashMap<>();
      for (Row row : rows) {
        DeliveryStatus status = DeliveryStatus.valueOf(row.getString(2).toUpperCase(Locale.ROOT));
        // A delivering one's next_attempt_at is its lease's end, not a time it is due.
        Instant due = status == DeliveryStatus.PENDING ? Instant.ofEpochMilli(row.getLong(6)) : null;
        byMessage.computeIfAbsent(row.getString(0), id -> new ArrayList<>())
          .add(new DeliverySummary(row.getString(1), status, row.getInteger(3), row.getInteger(4), row.getString(5), due,
            row.getString(7), status == DeliveryStatus.PENDING ? row.getString(8) : null));
      }
      return byMessage;
    });
  }

  /** Every attempt of a message, by backend, in the order they were made. */
  private Future<Map<String, List<StoredAttempt>>> attempts(SqlConnection connection, String messageId) {
    return attemptsOf.execute(connection, Statement.arguments("messageId", messageId))
      .map((RowSet<Row> rows) -> {
        Map<String, List<StoredAttempt>> byBackend = new HashMap<>();
        for (Row row : rows) {
          byBackend.computeIfAbsent(row.getString(0), b -> new ArrayList<>()).add(new StoredAttempt(row.getInteger(1),
            new AttemptRecord(Instant.ofEpochMilli(row.getLong(2)), row.getLong(3), row.getInteger(4),
              outcome(row.getString(5)), row.getString(6), row.getString(7), row.getString(8), dialect.flag(row, 9))));
        }
        return byBackend;
      });
  }

  private static MessageSummary summary(Row row, List<DeliverySummary> deliveries) {
    return new MessageSummary(row.getString(0), row.getString(1), row.getString(2), row.getString(3),
      Instant.ofEpochMilli(row.getLong(6)), row.getInteger(4), row.getString(5), deliveries);
  }

  private static AttemptOutcome outcome(String label) {
    for (AttemptOutcome outcome : AttemptOutcome.values()) {
      if (outcome.label().equals(label)) {
        return outcome;
      }
    }
    throw new IllegalStateException("unknown attempt outcome in the store: " + label);
  }

  /** Where a page ends: the last message's (received_at, id), as an opaque base64url token. */
  private record Cursor(long receivedAt, String id) {

    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((receivedAt + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor decode(String cursor) {
      String text;
      try {
        text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cursor is not one this store handed out", e);
      }
      int colon = text.indexOf(':');
      if (colon < 1 || colon == text.length() - 1) {
        throw new IllegalArgumentException("cursor is not one this store handed out");
      }
      try {
        return new Cursor(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("cursor is not one this store handed out", e);
      }
    }
  }
}
