package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.store.StoreMetrics.Operation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@link DeliveryStore} on the Vert.x SQL client: the embedded store (SQLite) or PostgreSQL, one schema (Flyway). Accepts,
 * attempt records and releases are group-committed ({@link GroupCommit}); finished messages are purged periodically, off
 * the hot path.
 */
public final class SqlDeliveryStore implements DeliveryStore {

  private static final Logger LOG = LoggerFactory.getLogger(SqlDeliveryStore.class);
  /** Messages waiting for a batch; past this accept fails at once (503). */
  static final int MAX_QUEUED = 20_000;
  /** Messages per transaction: enough to amortise the commit, small enough to keep a batch's latency low. */
  static final int MAX_BATCH = 500;
  /** Body bytes per accept transaction: a batch's bodies are copied once more to be bound, so this bounds that copy. */
  static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;
  /**
   * How long a batch that is not full waits for more after the previous one committed ({@link GroupCommit}), on the
   * embedded store: a few milliseconds on a 202 under load, for fewer syncs of its one writer's log and fewer worker
   * round trips per webhook. Not on PostgreSQL: there a commit costs no worker round trips and its syncs are shared
   * between connections by the server's own group commit, so a larger batch saves little and the wait only lengthens
   * each accept.
   */
  static final long EMBEDDED_COMMIT_DELAY_MS = 5;
  static final int PURGE_BATCH = 500;
  /**
   * The most body bytes one round trip of a claim reads on PostgreSQL. vertx-pg-client 5.0.7 gathers a response in a
   * CompositeByteBuf that it lets go of only when a network read ends where a message does, and that Netty copies
   * whole into a new buffer every 16 reads: a response cost time in the square of its size, all of it on the
   * connection's event loop (64 MiB: 3 to 7 s of it; a 128 MiB body was not read within the bound of the claim's work).
   * A response this small costs little, and the server has nothing more to send after it until asked.
   */
  static final int BODY_BYTES_PER_READ = 1024 * 1024;
  /**
   * How long a failed accept keeps the store reported as not accepting when no accept has committed since: long
   * enough for a load balancer to notice, short enough that a node taken out of rotation (so sent nothing) comes back.
   */
  private static final long REFUSAL_MEMORY_SECONDS = 30;
  /** A store that refuses every accept logs why once per this period, not once per webhook. */
  private static final long REFUSAL_LOG_PERIOD_MS = 5_000;
  private static final long PURGE_PERIOD_MS = TimeUnit.MINUTES.toMillis(10);
  /** The activity chart's step: attempt_minutes counts per minute. */
  private static final long MINUTE_MS = TimeUnit.MINUTES.toMillis(1);
  private static final String PENDING = DeliveryStatus.PENDING.column();
  private static final String DELIVERING = DeliveryStatus.DELIVERING.column();
  /**
   * A claimed delivery's last attempt with an outcome written, from the history every version of Hookcast writes (a
   * column of its own would be left behind by the nodes not yet upgraded in a rolling upgrade); its primary key makes it
   * one index lookup.
   */
  private static final String LAST_RECORDED = " COALESCE((SELECT MAX(a.attempt) FROM attempts a WHERE a.message_id = d.message_id"
    + " AND a.backend = d.backend), 0)";
  /**
   * The condition of the partial indexes on deliveries (deliveries_order, deliveries_due_unordered,
   * deliveries_due_keyed), for {@code column}, written out as literals: a planner uses a partial index only for a
   * query whose own condition says the same (with bound parameters it cannot know that it does).
   */
  static String unfinished(String column) {
    return " AND " + column + " IN ('" + DeliveryStatus.PENDING.column() + "', '" + DeliveryStatus.DELIVERING.column() + "')";
  }

  private final Vertx vertx;
  private final StorePool pool;
  private final StorePool reads;
  /** An operator's, apart from the deliveries' (see StoreConnection): its scans hold up no claim nor accept. */
  private final StorePool operatorReads;
  private final Runnable release;
  private final WalCheckpoints checkpoints;
  private final Dialect dialect;
  private final WriterTurns turns;
  /** Whether accept transactions carry the attempt records waiting: on the embedded store, whose one writer commits. */
  private final boolean carryRecords;
  /** Whether a claim reads on a read connection and takes the writer only to lease: on the embedded store. */
  private final boolean claimsReadApart;
  private final StoreMetrics metrics;
  private final GroupCommit<NewMessage, Accepted> commits;
  private final GroupCommit<Recorded, Boolean> records;
  private final GroupCommit<Released, Boolean> releases;
  private final DeliveryOperations operations;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final long purgeTimer;
  private final long timeoutMs;
  private final DatabaseClock clock = new DatabaseClock();
  /** Reads PostgreSQL's clock; -1 on the embedded store. */
  private final long clockTimer;
  /** When an accept last committed and last failed ({@link System#nanoTime}, 0 for never): for readiness. */
  private volatile long lastAccepted;
  private volatile long lastRefused;
  /** {@link System#currentTimeMillis} of the last line saying why accepts failed; on the callers' threads, so atomic. */
  private final AtomicLong lastRefusalLogged = new AtomicLong();
  private final OutageWatch outages;
  /** {@code store.path '...'} or {@code store.url '...'}, for log lines. */
  private final String named;
  private final Dialect.SenderIds senderIds;
  /** One per due index: together they reach every lease without reading the deliveries that ended. */
  private final List<Statement<Map<String, Object>>> reclaimLeases;
  private final Statement<StoredMessage> insertMessages;
  private final Statement<NewDelivery> insertDeliveries;
  private final Statement<Due> dueRows;
  private final Statement<Due> expiredHeadRows;
  private final Statement<Due> headRows;
  private final ListStatement<String> bodyRows;
  private final Statement<String> bodySlices;
  /** {@link #BODY_BYTES_PER_READ} on PostgreSQL; unbounded on the embedded store, whose JDBC reads take linear time. */
  private final long bodyBytesPerRead;
  private final Statement<Lease> takeLeases;
  private final Statement<LeaseEnd> endLeases;
  private final Statement<Recorded> insertAttempts;
  private final Statement<MinuteCount> countAttempts;
  private final Statement<Map<String, Object>> attemptInHistory;
  private final Statement<GiveBack> giveBack;
  private final Statement<Map<String, Object>> countBacklog;
  private final Statement<Map<String, Object>> purgeMessageBatch;
  private final Statement<Map<String, Object>> purgeKeyBatch;
  private final Statement<Map<String, Object>> purgeMinutes;
  private final Statement<StoredMessage> forgetMessages;
  private final Statement<Kept> unleaseKept;

  private record Listener(Context context, DueDeliveries scheduler) {
  }

  /** What an accept transaction wrote: its messages, and whether each attempt record it carried held its lease. */
  private record Written(List<Accepted> accepted, List<Boolean> held) {
  }

  /** An attempt to record, with what comes next for its delivery. */
  private record Recorded(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryStatus next, Instant nextAttemptAt) {
  }

  /** One row of attempt_minutes: a backend's attempts that one node started in one minute and that ended one way. */
  private record Minute(String backend, long start, String outcome, String node) {
  }

  /** What a batch of records adds to a row of attempt_minutes. */
  private record MinuteCount(Minute minute, long attempts) {
  }

  /** A claimed delivery given back unattempted, due again at {@code nextAttemptAt}. */
  private record Released(ClaimedDelivery delivery, Instant nextAttemptAt) {
  }

  /** A release's end of its lease, at {@code now} by the database's clock. */
  private record GiveBack(Released released, long now) {
  }

  /** A message of an accept, under the id it is stored with. */
  private record StoredMessage(String id, NewMessage message) {
  }

  /** A delivery leased at accept of a message committed after its senders were answered 503, kept: due at {@code now}. */
  private record Kept(String id, String backend, String token, long now) {
  }

  /** A delivery of an accept: pending, or leased to a scheduler of this node. */
  private record NewDelivery(String messageId, String backend, String status, int attempts, long nextAttemptAt,
                             String leaseOwner, String leaseToken, Long leaseUntil, long updatedAt, String orderKey) {
  }

  /** What one query of a claim looks for; {@code status} only where the query does not say it itself. */
  private record Due(String backend, String status, long now, int limit) {
  }

  /**
   * A claimed delivery's lease, its attempt counted; taken only while the delivery is still as its claim read it
   * ({@code wasStatus}, {@code wasDue}, one attempt fewer).
   */
  private record Lease(String messageId, String backend, int attempts, String owner, String token, long leaseUntil,
                       long now, String wasStatus, long wasDue) {
  }

  /** A due delivery a claim found, with the status it was found in. */
  private record Found(Row row, String status) {
  }

  /** A delivery a claim read, to be leased only while still in {@code status}, due at {@code due}. */
  private record Candidate(ClaimedDelivery delivery, String status, long due) {
  }

  /** A recorded attempt's end of its lease, at {@code now} by the database's clock. */
  private record LeaseEnd(Recorded recorded, long now) {
  }

  private SqlDeliveryStore(Vertx vertx, Context context, StoreConnection.Opened opened, StoreConfig config,
                           StoreMetrics metrics) {
    this.vertx = vertx;
    this.release = opened.release();
    this.checkpoints = opened.checkpoints();
    this.dialect = opened.dialect();
    this.turns = config.embedded() ? WriterTurns.acceptsFirst() : WriterTurns.asTheyCome();
    this.carryRecords = config.embedded();
    this.claimsReadApart = config.embedded();
    this.metrics = metrics;
    this.timeoutMs = config.timeoutMs();
    this.named = config.embedded() ? "store.path '" + config.path() + "'" : "store.url '" + opened.description() + "'";
    this.outages = new OutageWatch(vertx, named);
    long hangMs = StorePool.hangMs(config);
    this.pool = new StorePool(opened.pool(), vertx, hangMs, named);
    this.reads = opened.reads() == opened.pool() ? pool : new StorePool(opened.reads(), vertx, hangMs, named);
    this.operatorReads = new StorePool(opened.operatorReads(), vertx, hangMs, named);
    long commitDelayMs = config.embedded() ? EMBEDDED_COMMIT_DELAY_MS : 0;
    // PostgreSQL's pool closes a connection whose work hangs; nothing ends the embedded store's JDBC calls.
    boolean endsHung = StorePool.hangMs(config) > 0;
    this.commits = new GroupCommit<>(context, MAX_QUEUED, MAX_BATCH, message -> message.body().length(), MAX_BATCH_BYTES,
      "messages", config.timeoutMs(), commitDelayMs, endsHung, this::write);
    this.records = new GroupCommit<>(context, MAX_QUEUED, MAX_BATCH, outcome -> 0, Long.MAX_VALUE, "attempt records",
      config.timeoutMs(), commitDelayMs, endsHung, this::writeRecords);
    this.releases = new GroupCommit<>(context, MAX_QUEUED, MAX_BATCH, released -> 0, Long.MAX_VALUE, "releases",
      config.timeoutMs(), commitDelayMs, endsHung, this::writeReleases);
    this.operations = new SqlDeliveryOperations(pool, operatorReads, dialect, this::nudge, clock::now);
    this.senderIds = dialect.senderIds(pool.client());
    this.reclaimLeases = Stream.of(" IS NULL", " IS NOT NULL").map(keyed -> Statement.named(pool.client(), "UPDATE deliveries SET"
      + " status = #{pending}, next_attempt_at = #{now}, lease_owner = NULL, lease_token = NULL, lease_until = NULL"
      + " WHERE order_key" + keyed + unfinished("status") + " AND status = #{delivering}")).toList();
    this.insertMessages = Statement.<StoredMessage>of(pool.client(), "INSERT INTO messages (id, route, method, uri, headers, body,"
        + " sender_id, received_at, trace_parent) VALUES (#{id}, #{route}, #{method}, #{uri}, #{headers}, #{body},"
        + " #{senderId}, #{receivedAt}, #{traceParent})",
      Map.of("id", StoredMessage::id, "route", m -> m.message().route(), "method", m -> m.message().method(),
        "uri", m -> m.message().uri(), "headers", m -> HeadersColumn.encode(m.message().headers()),
        "body", m -> dialect.binary(m.message().body()), "senderId", m -> m.message().senderId(),
        "receivedAt", m -> m.message().receivedAt().toEpochMilli(), "traceParent", m -> m.message().traceParent()));
    this.insertDeliveries = Statement.<NewDelivery>of(pool.client(), "INSERT INTO deliveries (message_id, backend, status, attempts,"
        + " next_attempt_at, lease_owner, lease_token, lease_until, updated_at, order_key) VALUES (#{messageId}, #{backend},"
        + " #{status}, #{attempts}, #{nextAttemptAt}, #{leaseOwner}, #{leaseToken}, #{leaseUntil}, #{updatedAt}, #{orderKey})",
      Map.of("messageId", NewDelivery::messageId, "backend", NewDelivery::backend, "status", NewDelivery::status,
        "attempts", NewDelivery::attempts, "nextAttemptAt", NewDelivery::nextAttemptAt, "leaseOwner", NewDelivery::leaseOwner,
        "leaseToken", NewDelivery::leaseToken, "leaseUntil", NewDelivery::leaseUntil, "updatedAt", NewDelivery::updatedAt,
        "orderKey", NewDelivery::orderKey));
    Map<String, Function<Due, ?>> due = Map.of("backend", Due::backend, "status", Due::status, "now", Due::now,
      "limit", Due::limit);
    this.dueRows = Statement.of(pool.client(),
      "SELECT d.message_id, d.attempts, m.method, m.uri, m.headers, LENGTH(m.body), m.received_at, d.manual, d.order_key,"
        + " d.next_attempt_at, m.trace_parent," + LAST_RECORDED + " FROM deliveries d JOIN messages m ON m.id = d.message_id"
        + " WHERE d.backend = #{backend} AND d.order_key IS NULL" + unfinished("d.status") + " AND d.status = #{status}"
        + " AND d.next_attempt_at <= #{now} ORDER BY d.next_attempt_at LIMIT #{limit}" + dialect.claimLock(), due);
    this.expiredHeadRows = Statement.of(pool.client(),
      "SELECT d.message_id, d.attempts, m.method, m.uri, m.headers, LENGTH(m.body), m.received_at, d.manual, d.order_key,"
        + " d.next_attempt_at, m.trace_parent," + LAST_RECORDED + " FROM deliveries d JOIN messages m ON m.id = d.message_id"
        + " WHERE d.backend = #{backend} AND d.order_key IS NOT NULL" + unfinished("d.status")
        + " AND d.status = '" + DELIVERING + "' AND d.next_attempt_at <= #{now}"
        + " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.backend = d.backend AND e.order_key = d.order_key"
        + " AND e.message_id <> d.message_id" + unfinished("e.status") + " AND e.status = '" + DELIVERING + "'"
        + " AND (e.next_attempt_at > #{now} OR e.message_id < d.message_id))"
        + dialect.keyLock() + " ORDER BY d.next_attempt_at LIMIT #{limit}" + dialect.claimLock(), due);
    this.headRows = Statement.of(pool.client(),
      "SELECT d.message_id, d.attempts, m.method, m.uri, m.headers, LENGTH(m.body), m.received_at, d.manual, d.order_key,"
        + " d.next_attempt_at, m.trace_parent," + LAST_RECORDED + " FROM (SELECT order_key, MIN(message_id) AS head FROM deliveries"
        + " WHERE backend = #{backend} AND order_key IS NOT NULL" + unfinished("status") + " GROUP BY order_key) k"
        // CROSS JOIN keeps the heads as the outer loop (SQLite takes it as the join order): each head's delivery is
        // then read by its key, where the planner would otherwise walk every pending delivery of the backend.
        + " CROSS JOIN deliveries d JOIN messages m ON m.id = d.message_id"
        + " WHERE d.backend = #{backend} AND d.message_id = k.head AND d.status = '" + PENDING + "'"
        + " AND d.next_attempt_at <= #{now}"
        + " AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.backend = d.backend AND e.order_key = d.order_key"
        + unfinished("e.status") + " AND e.status = '" + DELIVERING + "')" + dialect.keyLock()
        + " ORDER BY d.next_attempt_at LIMIT #{limit}" + dialect.claimLock(), due);
    this.bodyRows = new ListStatement<>(pool.client(), "SELECT id, body FROM messages WHERE id IN (%s)", "#{id}",
      Map.of("id", id -> id), MAX_CLAIM);
    // Each slice from the body whole in the server's memory (the OFFSET keeps the subquery's one row, concatenated
    // once): a slice of the stored value costs the decompression of all that comes before it, for a body compressed
    // in TOAST (a large JSON one is), and all of a 64 MiB one took 7 s of the server's time instead of 0.7.
    this.bodySlices = Statement.of(pool.client(), "SELECT s.at, SUBSTRING(b.body FROM s.at FOR " + BODY_BYTES_PER_READ
      + ") FROM (SELECT body || ''::bytea AS body FROM messages WHERE id = #{id} OFFSET 0) b"
      + " CROSS JOIN LATERAL generate_series(1, LENGTH(b.body), " + BODY_BYTES_PER_READ + ") AS s(at)", Map.of("id", id -> id));
    this.bodyBytesPerRead = config.embedded() ? Long.MAX_VALUE : BODY_BYTES_PER_READ;
    // The attempt counts from its claim: one that ends the process (a poison webhook) still counts, so its
    // delivery reaches the end of its schedule instead of being claimed again forever.
    this.takeLeases = Statement.<Lease>of(pool.client(), "UPDATE deliveries SET status = #{delivering}, attempts = #{attempts},"
        + " lease_owner = #{owner}, lease_token = #{token}, lease_until = #{leaseUntil}, next_attempt_at = #{leaseUntil},"
        + " updated_at = #{now} WHERE message_id = #{messageId} AND backend = #{backend} AND status = #{wasStatus}"
        + " AND attempts = #{wasAttempts} AND next_attempt_at = #{wasDue}",
      Map.ofEntries(Map.entry("delivering", lease -> DELIVERING), Map.entry("attempts", Lease::attempts),
        Map.entry("owner", Lease::owner), Map.entry("token", Lease::token), Map.entry("leaseUntil", Lease::leaseUntil),
        Map.entry("now", Lease::now), Map.entry("messageId", Lease::messageId), Map.entry("backend", Lease::backend),
        Map.entry("wasStatus", Lease::wasStatus), Map.entry("wasAttempts", lease -> lease.attempts() - 1),
        Map.entry("wasDue", Lease::wasDue)));
    this.endLeases = Statement.<LeaseEnd>of(pool.client(), "UPDATE deliveries SET status = #{status}, attempts = #{attempts},"
        + " next_attempt_at = #{nextAttemptAt}, lease_owner = NULL, lease_token = NULL, lease_until = NULL, manual = FALSE,"
        + " last_status = #{lastStatus}, last_error = #{lastError}, updated_at = #{now}"
        + " WHERE message_id = #{messageId} AND backend = #{backend} AND lease_token = #{token}",
      Map.of("status", end -> end.recorded().next().column(), "attempts", end -> end.recorded().delivery().attempt(),
        "nextAttemptAt", end -> end.recorded().nextAttemptAt() != null ? end.recorded().nextAttemptAt().toEpochMilli() : end.now(),
        "lastStatus", end -> end.recorded().attempt().status(), "lastError", end -> cut(end.recorded().attempt().error(), 4096),
        "now", LeaseEnd::now, "messageId", end -> end.recorded().delivery().messageId(),
        "backend", end -> end.recorded().delivery().backend(), "token", end -> end.recorded().delivery().leaseToken()));
    this.insertAttempts = Statement.<Recorded>of(pool.client(), "INSERT INTO attempts (message_id, backend, attempt, started_at,"
        + " duration_ms, status, outcome, error, response_head, node, manual) VALUES (#{messageId}, #{backend}, #{attempt},"
        + " #{startedAt}, #{durationMs}, #{status}, #{outcome}, #{error}, #{responseHead}, #{node}, #{manual})",
      Map.ofEntries(Map.entry("messageId", r -> r.delivery().messageId()), Map.entry("backend", r -> r.delivery().backend()),
        Map.entry("attempt", r -> r.delivery().attempt()), Map.entry("startedAt", r -> r.attempt().startedAt().toEpochMilli()),
        Map.entry("durationMs", r -> r.attempt().durationMs()), Map.entry("status", r -> r.attempt().status()),
        Map.entry("outcome", r -> r.attempt().outcome().label()), Map.entry("error", r -> cut(r.attempt().error(), 4096)),
        Map.entry("responseHead", r -> cut(r.attempt().responseHead(), 1024)), Map.entry("node", r -> r.attempt().node()),
        Map.entry("manual", r -> r.attempt().manual())));
    // The same SQL for both stores: SQLite has taken PostgreSQL's upsert since 3.24.
    this.countAttempts = Statement.<MinuteCount>of(pool.client(), "INSERT INTO attempt_minutes (backend, minute_start, outcome,"
        + " node, attempts) VALUES (#{backend}, #{minute}, #{outcome}, #{node}, #{attempts}) ON CONFLICT (backend,"
        + " minute_start, outcome, node) DO UPDATE SET attempts = attempt_minutes.attempts + EXCLUDED.attempts",
      Map.of("backend", count -> count.minute().backend(), "minute", count -> count.minute().start(),
        "outcome", count -> count.minute().outcome(), "node", count -> count.minute().node(),
        "attempts", MinuteCount::attempts));
    this.attemptInHistory = Statement.named(pool.client(), "SELECT attempt FROM attempts WHERE message_id = #{messageId}"
      + " AND backend = #{backend} AND attempt = #{attempt}");
    // Nothing reached the backend: the attempt counted at the claim is taken back.
    this.giveBack = Statement.<GiveBack>of(pool.client(), "UPDATE deliveries SET status = #{pending}, attempts = #{attempts},"
        + " next_attempt_at = #{nextAttemptAt}, lease_owner = NULL, lease_token = NULL, lease_until = NULL, updated_at = #{now}"
        + " WHERE message_id = #{messageId} AND backend = #{backend} AND lease_token = #{token}",
      Map.of("pending", back -> PENDING, "attempts", back -> back.released().delivery().attempt() - 1,
        "nextAttemptAt", back -> back.released().nextAttemptAt().toEpochMilli(), "now", GiveBack::now,
        "messageId", back -> back.released().delivery().messageId(), "backend", back -> back.released().delivery().backend(),
        "token", back -> back.released().delivery().leaseToken()));
    String unfinishedByBackend = " SELECT backend, COUNT(*) AS n, MIN(message_id) AS oldest FROM deliveries WHERE order_key%s"
      + unfinished("status") + " GROUP BY backend";
    this.countBacklog = Statement.named(reads.client(), "SELECT b.backend, b.unfinished, m.received_at FROM (SELECT backend,"
      + " SUM(n) AS unfinished, MIN(oldest) AS oldest FROM (" + unfinishedByBackend.formatted(" IS NULL") + " UNION ALL"
      + unfinishedByBackend.formatted(" IS NOT NULL") + ") u GROUP BY backend) b JOIN messages m ON m.id = b.oldest");
    this.purgeMessageBatch = Statement.named(pool.client(), "DELETE FROM messages WHERE id IN (SELECT m.id FROM messages m"
      + " WHERE m.received_at < #{before} AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = m.id"
      + " AND (d.status IN (#{pending}, #{delivering}) OR d.updated_at >= #{before})) LIMIT #{limit})");
    this.purgeKeyBatch = Statement.named(pool.client(), "DELETE FROM dedup_keys WHERE (route, sender_id) IN (SELECT route, sender_id"
      + " FROM dedup_keys WHERE accepted_at < #{before} LIMIT #{limit})");
    // A few rows per minute (one per backend and outcome): one statement takes them all.
    this.purgeMinutes = Statement.named(pool.client(), "DELETE FROM attempt_minutes WHERE minute_start < #{before}");
    // Its deliveries and their attempts go with it (ON DELETE CASCADE).
    this.forgetMessages = Statement.of(pool.client(), "DELETE FROM messages WHERE id = #{id}", Map.of("id", StoredMessage::id));
    this.unleaseKept = Statement.of(pool.client(), "UPDATE deliveries SET status = #{pending}, attempts = 0, next_attempt_at = #{now},"
        + " lease_owner = NULL, lease_token = NULL, lease_until = NULL WHERE message_id = #{id} AND backend = #{backend}"
        + " AND lease_token = #{token}",
      Map.of("pending", kept -> PENDING, "now", Kept::now, "id", Kept::id, "backend", Kept::backend, "token", Kept::token));
    this.clockTimer = config.embedded() ? -1 : vertx.setPeriodic(DatabaseClock.SYNC_PERIOD_MS, DatabaseClock.SYNC_PERIOD_MS,
      id -> clock.sync(pool));
    this.purgeTimer = vertx.setPeriodic(PURGE_PERIOD_MS, PURGE_PERIOD_MS, id ->
      purge(Instant.now().minus(config.retentionHours(), ChronoUnit.HOURS))
        .onFailure(e -> LOG.warn("purging finished messages failed: " + e)));
  }

  /**
   * Opens (creating and migrating as needed) the store {@code config} names. Fails with a {@link StoreOpenException}
   * naming {@code store.path} or {@code store.url} when it cannot.
   */
  public static Future<SqlDeliveryStore> open(Vertx vertx, StoreConfig config, StoreMetrics metrics) {
    Context context = vertx.getOrCreateContext();
    return StoreConnection.open(vertx, config).compose(opened -> {
      SqlDeliveryStore store = new SqlDeliveryStore(vertx, context, opened, config, metrics);
      return store.ping()
        .compose(v -> config.embedded() ? store.reclaimLeases() : store.clock.sync(store.pool))
        .compose(v -> store.idsAfterTheNewest())
        .recover(e -> store.close().transform(v -> Future.failedFuture(new StoreOpenException(
          (config.embedded() ? "store.path '" + config.path() : "store.url '" + opened.description())
            + "': the store does not answer: " + e, e, !config.embedded() && StoreConnection.unreachable(e)))))
        .map(v -> {
          LOG.info("async delivery store: " + opened.description());
          return store;
        });
    });
  }

  /**
   * Makes what a killed process had claimed due again at once. Only this process uses an embedded store, so every
   * lease found at open belongs to a process that is gone; waiting for them to expire would only delay redelivery.
   */
  private Future<Void> reclaimLeases() {
    Map<String, Object> arguments = Statement.arguments("pending", PENDING, "now", System.currentTimeMillis(), "delivering", DELIVERING);
    Future<?> reclaimed = Future.succeededFuture();
    for (Statement<Map<String, Object>> statement : reclaimLeases) {
      reclaimed = reclaimed.compose(v -> write(statement, arguments));
    }
    return reclaimed.<Void>mapEmpty().recover(e -> {
      if (!dialect.outOfSpace(e)) {
        return Future.failedFuture(e);
      }
      // A node killed on a full disk must start again all the same, and answer 503 until space is freed, as a running
      // one does: refusing to start would leave its senders only refused connections, and what it stored undelivered.
      LOG.warn(named + ": the disk is full: what the last process had under way is delivered again once its leases end"
        + " (delivery.async.leaseMs), not at once; webhooks to async routes are answered 503 until space is freed");
      return Future.succeededFuture();
    });
  }

  /** What an operator does with this store's deliveries; a retry nudges this node's schedulers like an accept. */
  public DeliveryOperations operations() {
    return operations;
  }

  @Override
  public Future<Accepted> accept(NewMessage message) {
    return commits.submit(message).onComplete(accepted -> {
      if (accepted.succeeded()) {
        lastAccepted = System.nanoTime();
        outages.committed();
      } else {
        lastRefused = System.nanoTime();
        refused(accepted.cause());
      }
    });
  }

  /** Says why accepts fail, at most once per {@link #REFUSAL_LOG_PERIOD_MS}: the senders only see 503. */
  private void refused(Throwable cause) {
    Supplier<String> line = () -> dialect.outOfSpace(cause)
      ? named + ": the disk is full; webhooks to async routes are answered 503 until space is freed, then accepted"
        + " again without a restart (" + cause.getMessage() + ")"
      : named + ": accepted webhooks could not be stored; answered 503 (" + cause + ")";
    outages.failed(line);
    long now = System.currentTimeMillis();
    long last = lastRefusalLogged.get();
    if (now - last >= REFUSAL_LOG_PERIOD_MS && lastRefusalLogged.compareAndSet(last, now)) {
      LOG.warn(line.get());
    }
  }

  @Override
  public void watch(AcceptOutages watcher) {
    outages.watchedBy(watcher);
  }

  @Override
  public boolean accepting() {
    long refused = lastRefused;
    return refused == 0 || refused - lastAccepted < 0 || System.nanoTime() - refused > TimeUnit.SECONDS.toNanos(REFUSAL_MEMORY_SECONDS);
  }

  @Override
  public Runnable subscribe(DueDeliveries scheduler) {
    Listener registered = new Listener(vertx.getOrCreateContext(), scheduler);
    listeners.add(registered);
    return () -> listeners.remove(registered);
  }

  /** What one accept transaction leased to this node's schedulers, and which backends got pending deliveries. */
  private static final class Handover {
    final Map<Listener, List<ClaimedDelivery>> leased = new HashMap<>();
    final List<Map.Entry<Listener, DueDeliveries.Slot>> slots = new ArrayList<>();
    final Set<String> pending = new HashSet<>();

    void undo() {
      slots.forEach(slot -> slot.getKey().scheduler().unreserve(slot.getValue()));
    }
  }

  private Future<List<Accepted>> write(List<GroupCommit.Entry<NewMessage, Accepted>> batch) {
    Handover handover = new Handover();
    return turns.accept(() -> {
        if (commits.outlived(batch)) {
          // Its senders were answered 503 while it waited for its turn: written, it would only be rolled back.
          return Future.<List<Accepted>>failedFuture(new StoreUnavailableException("the batch outlived store.timeoutMs before its turn",
            null));
        }
        // The attempt records waiting when the transaction starts are written in it: one commit (one fsync) for both.
        List<GroupCommit.Entry<Recorded, Boolean>> carried = carryRecords ? records.takeWaiting(MAX_BATCH) : List.of();
        Future<Written> written = dialect.inTransaction(pool, connection -> write(connection, batch, handover)
          .compose(accepted -> (carried.isEmpty() ? Future.succeededFuture(List.<Boolean>of()) : recordIn(connection, carried))
            .map(held -> new Written(accepted, held)))
          .compose(both -> commits.outlived(batch)
            ? Future.failedFuture(new StoreUnavailableException("the batch outlived store.timeoutMs; rolled back", null))
            : Future.succeededFuture(both)));
        // A batch that outlived its senders' timeout is rolled back, and the records it carried are then written on
        // their own: failed with it, an outcome the backend already gave would be lost, and the delivery sent again
        // once its lease ran out.
        Future<List<Boolean>> held = carried.isEmpty() ? Future.succeededFuture(List.of()) : written.map(Written::held)
          .recover(failure -> commits.outlived(batch) ? dialect.inTransaction(pool, connection -> recordIn(connection, carried))
            : Future.failedFuture(failure));
        if (!carried.isEmpty()) {
          // Answered within the timeout of the oldest, as their own batch would have been.
          long leftMs = timeoutMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - carried.get(0).submittedNanos());
          held.timeout(Math.max(1, leftMs), TimeUnit.MILLISECONDS).onComplete(ar -> {
            if (ar.succeeded()) {
              carried.forEach(entry -> metrics.timed(Operation.RECORD, entry.submittedNanos()));
              GroupCommit.answer(carried, ar.result(), null);
            } else {
              GroupCommit.answer(carried, null, new StoreUnavailableException(ar.cause() instanceof TimeoutException
                ? "the store did not commit within store.timeoutMs (" + timeoutMs + " ms)" : "the store could not commit: " + ar.cause(), ar.cause()));
            }
          });
        }
        // Answered here, before anything is handed over: the timeout may have answered the senders 503 while the
        // commit ran (a disk that stalled), and a webhook they were told is not stored must not be delivered.
        // The turn lasts until the carried records are written, on their own too: the writer is taken in turns.
        return written.compose(both -> GroupCommit.answer(batch, both.accepted(), null) ? Future.succeededFuture(both.accepted())
          : forget(batch, both.accepted(), handover)).eventually(() -> held);
      })
      // Nothing of a rolled-back batch is handed over: the slots it reserved go back.
      .onFailure(e -> handover.undo())
      .onSuccess(accepted -> {
        for (GroupCommit.Entry<NewMessage, Accepted> entry : batch) {
          metrics.timed(Operation.ACCEPT, entry.submittedNanos());
        }
        handover.leased.forEach((listener, deliveries) -> listener.context().runOnContext(v -> listener.scheduler().leased(deliveries)));
        nudge(handover.pending);
      });
  }

  /**
   * Deletes again what a batch stored whose senders were answered 503 before its commit ended, in the same writer's
   * turn on the embedded store, so that no claim of this node comes between; on PostgreSQL a lane of this node or
   * another may claim one of its deliveries in that moment, and deliver it. A webhook with a sender id is kept: its
   * sender's retry may already have been taken for a duplicate of it (on PostgreSQL, a retry waits for this commit's
   * key and then sees it), and is in any case once it is committed, so it is delivered once; deleted, it would not be
   * delivered at all. What is kept is due at once, unattempted: the leases the accept gave this node's lanes are let go
   * of (the lanes were never handed them), and the lanes are told.
   */
  private Future<List<Accepted>> forget(List<GroupCommit.Entry<NewMessage, Accepted>> batch, List<Accepted> accepted,
                                        Handover handover) {
    List<StoredMessage> unkeyed = new ArrayList<>();
    List<StoredMessage> keyed = new ArrayList<>();
    Set<String> keptBackends = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      if (accepted.get(i).duplicate()) {
        continue;
      }
      StoredMessage stored = new StoredMessage(accepted.get(i).id(), batch.get(i).item());
      if (stored.message().senderId() == null) {
        unkeyed.add(stored);
      } else {
        keyed.add(stored);
        keptBackends.addAll(stored.message().backends());
      }
    }
    if (unkeyed.isEmpty() && keyed.isEmpty()) {
      return Future.failedFuture(new StoreUnavailableException("committed after its senders were answered 503", null));
    }
    long now = clock.now();
    Set<String> keptIds = new HashSet<>();
    keyed.forEach(message -> keptIds.add(message.id()));
    // By the token each lease was given: a delivery that a lane of another node has claimed since keeps its lease.
    List<Kept> leased = handover.leased.values().stream().flatMap(List::stream)
      .filter(delivery -> keptIds.contains(delivery.messageId()))
      .map(delivery -> new Kept(delivery.messageId(), delivery.backend(), delivery.leaseToken(), now)).toList();
    Future<?> settled = dialect.inTransaction(pool, connection -> (unkeyed.isEmpty() ? Future.succeededFuture()
        : forgetMessages.executeBatch(connection, unkeyed))
      .compose(v -> leased.isEmpty() ? Future.succeededFuture() : unleaseKept.executeBatch(connection, leased)));
    return settled.transform(done -> {
      List<String> outcomes = new ArrayList<>();
      if (!unkeyed.isEmpty()) {
        outcomes.add(count(unkeyed.size()) + (done.succeeded() ? " deleted again"
          : " could not be deleted again, and will be delivered (" + done.cause() + ")"));
      }
      if (!keyed.isEmpty()) {
        outcomes.add(count(keyed.size()) + " with a sender id kept, to be delivered once whether or not it is sent again");
        nudge(keptBackends);
      }
      LOG.warn(named + ": " + count(unkeyed.size() + keyed.size()) + " committed after their senders were answered 503 (the"
        + " commit took longer than store.timeoutMs): " + String.join("; ", outcomes));
      return Future.failedFuture(new StoreUnavailableException("committed after its senders were answered 503", null));
    });
  }

  private static String count(int webhooks) {
    return webhooks + (webhooks == 1 ? " webhook" : " webhooks");
  }

  /** Tells this node's schedulers that {@code backends} have deliveries due now, so they claim at once. */
  void nudge(Set<String> backends) {
    if (!backends.isEmpty()) {
      for (Listener listener : listeners) {
        listener.context().runOnContext(v -> listener.scheduler().due(backends));
      }
    }
  }

  /** A slot on a scheduler of this node for a delivery to {@code backend}, or null. */
  private Map.Entry<Listener, DueDeliveries.Slot> reserve(String backend, long bytes) {
    for (Listener listener : listeners) {
      DueDeliveries.Slot slot = listener.scheduler().reserve(backend, bytes);
      if (slot != null) {
        return Map.entry(listener, slot);
      }
    }
    return null;
  }

  private Future<List<Accepted>> write(SqlConnection connection, List<GroupCommit.Entry<NewMessage, Accepted>> batch,
                                       Handover handover) {
    List<String> ids = new ArrayList<>(batch.size());
    Accepted[] accepted = new Accepted[batch.size()];
    List<Integer> withSender = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      ids.add(TimeOrderedIds.next());
      if (batch.get(i).item().senderId() != null) {
        withSender.add(i);
      }
    }
    // The same key order on every node, so that two batches never wait for each other's keys in a cycle.
    withSender.sort(Comparator.comparing((Integer i) -> batch.get(i).item().route())
      .thenComparing(i -> batch.get(i).item().senderId()));
    Future<Void> dedup = Future.succeededFuture();
    if (!withSender.isEmpty()) {
      dedup = senderIds.claim(connection, withSender.stream().map(i -> batch.get(i).item()).toList(),
          withSender.stream().map(ids::get).toList())
        .map(firsts -> {
          for (int k = 0; k < firsts.length; k++) {
            if (firsts[k] != null) {
              accepted[withSender.get(k)] = new Accepted(firsts[k], true);
            }
          }
          return null;
        });
    }
    return dedup.compose(v -> {
      List<StoredMessage> messages = new ArrayList<>();
      List<NewDelivery> deliveries = new ArrayList<>();
      long now = clock.now();
      for (int i = 0; i < batch.size(); i++) {
        if (accepted[i] != null) {
          continue;
        }
        NewMessage message = batch.get(i).item();
        long received = message.receivedAt().toEpochMilli();
        String id = ids.get(i);
        accepted[i] = new Accepted(id, false);
        messages.add(new StoredMessage(id, message));
        for (String backend : message.backends()) {
          // An ordered delivery is never handed straight over: an earlier one of its key may still be unfinished.
          Map.Entry<Listener, DueDeliveries.Slot> slot = message.orderKey() != null ? null : reserve(backend, message.body().length());
          if (slot == null) {
            handover.pending.add(backend);
            // Due now in the clock claims read (PostgreSQL's), not at the ingress's receipt by this node's clock: a
            // node whose clock ran ahead of the database's stored deliveries that no claim found due until it caught up.
            deliveries.add(new NewDelivery(id, backend, PENDING, 0, now, null, null, null, received, message.orderKey()));
            continue;
          }
          // Leased as a claim would lease it, attempt 1 counted, so that a restart treats it like any claimed one.
          String token = TimeOrderedIds.next();
          long leaseUntil = now + slot.getValue().leaseMs();
          handover.slots.add(slot);
          handover.leased.computeIfAbsent(slot.getKey(), l -> new ArrayList<>()).add(new ClaimedDelivery(id, backend, 1, token,
            message.method(), message.uri(), message.headers(), message.body(), message.receivedAt(), 0, false, false,
            message.traceParent()));
          deliveries.add(new NewDelivery(id, backend, DELIVERING, 1, leaseUntil, slot.getValue().owner(), token, leaseUntil,
            received, null));
        }
      }
      if (messages.isEmpty()) {
        return Future.succeededFuture(List.of(accepted));
      }
      // A verified webhook no backend takes is kept without deliveries; PostgreSQL's client refuses an empty batch.
      return insertMessages.executeBatch(connection, messages)
        .compose(r -> deliveries.isEmpty() ? Future.succeededFuture() : insertDeliveries.executeBatch(connection, deliveries))
        .map(r -> List.of(accepted));
    });
  }

  /**
   * Expired leases first, then pending deliveries, each by due time. One query per status rather than {@code status
   * IN (...)}: with the status fixed, the due indexes (backend, status, next_attempt_at) yield the rows already in
   * order and the query stops at the limit; the IN form would read and sort every due delivery of the backend, and a
   * claim's cost would grow with the backlog.
   *
   * <p>On the embedded store the due deliveries and their bodies are read on a read connection, beside the writer,
   * and the writer's turn only leases those still as they were read: accepts queue behind the leases' update and
   * its commit, not behind the claim's reads. On PostgreSQL one transaction reads and leases, the rows locked.
   */
  @Override
  public Future<List<ClaimedDelivery>> claim(String backend, String owner, int limit, long maxBytes, boolean firstOfAnySize,
                                             long leaseMs) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    int taking = Math.min(limit, MAX_CLAIM);
    long start = System.nanoTime();
    Future<List<ClaimedDelivery>> claimed;
    if (!claimsReadApart) {
      claimed = turns.other(() -> {
        long now = clock.now();
        return dialect.inTransaction(pool, connection -> candidates(connection, backend, now, taking, maxBytes, firstOfAnySize)
          .compose(candidates -> lease(connection, candidates, backend, owner, leaseMs)));
      });
    } else {
      long now = clock.now();
      claimed = reads.withConnection(connection -> candidates(connection, backend, now, taking, maxBytes, firstOfAnySize))
        .compose(candidates -> candidates.isEmpty() ? Future.succeededFuture(List.of())
          : turns.other(() -> dialect.inTransaction(pool, connection -> lease(connection, candidates, backend, owner, leaseMs))));
    }
    return claimed.onSuccess(r -> metrics.timed(Operation.CLAIM, start));
  }

  /** The due deliveries a claim takes, within {@code limit} and {@code maxBytes}, with their bodies. */
  private Future<List<Candidate>> candidates(SqlConnection connection, String backend, long now, int limit, long maxBytes,
                                             boolean firstOfAnySize) {
    return due(connection, backend, DELIVERING, now, limit)
      .compose(expired -> expiredHeads(connection, backend, now, limit).map(heads -> earliestFirst(expired, heads, limit)))
      .compose(expired -> {
        List<Found> rows = new ArrayList<>();
        expired.forEach(row -> rows.add(new Found(row, DELIVERING)));
        if (rows.size() >= limit) {
          return Future.succeededFuture(rows);
        }
        return due(connection, backend, PENDING, now, limit - rows.size())
          .compose(pending -> heads(connection, backend, now, limit - rows.size()).map(heads -> {
            earliestFirst(pending, heads, limit - rows.size()).forEach(row -> rows.add(new Found(row, PENDING)));
            return rows;
          }));
      })
      .compose(rows -> {
        List<Found> taken = withinBytes(rows, maxBytes, firstOfAnySize);
        if (taken.isEmpty()) {
          return Future.succeededFuture(List.<Candidate>of());
        }
        return bodies(connection, taken).map(bodies -> {
          List<Candidate> candidates = new ArrayList<>(taken.size());
          for (Found found : taken) {
            Row row = found.row();
            candidates.add(new Candidate(new ClaimedDelivery(row.getString(0), backend, row.getInteger(1) + 1, TimeOrderedIds.next(),
              row.getString(2), row.getString(3), HeadersColumn.decode(row.getString(4)), bodies.get(row.getString(0)),
              Instant.ofEpochMilli(row.getLong(6)), row.getInteger(11), dialect.flag(row, 7), row.getValue(8) != null,
              row.getString(10)),
              found.status(), row.getLong(9)));
          }
          return candidates;
        });
      });
  }

  /** Leases {@code candidates} to {@code owner}; those changed since they were read are left out. */
  private Future<List<ClaimedDelivery>> lease(SqlConnection connection, List<Candidate> candidates, String backend,
                                              String owner, long leaseMs) {
    if (candidates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    // From now, not from when the claim began: its reads and its wait for the writer (or a connection) came out of the
    // lease, which could then end while its attempt still ran, for another claim to make it again.
    long now = clock.now();
    long leaseUntil = now + leaseMs;
    List<Lease> leases = new ArrayList<>(candidates.size());
    for (Candidate candidate : candidates) {
      ClaimedDelivery delivery = candidate.delivery();
      leases.add(new Lease(delivery.messageId(), backend, delivery.attempt(), owner, delivery.leaseToken(), leaseUntil, now,
        candidate.status(), candidate.due()));
    }
    return takeLeases.executeBatch(connection, leases).map(updated -> {
      int[] counts = dialect.updateCounts(updated, leases.size());
      List<ClaimedDelivery> leased = new ArrayList<>(candidates.size());
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 1) {
          leased.add(candidates.get(i).delivery());
        }
      }
      return leased;
    });
  }

  /**
   * The first of {@code rows} whose bodies (their size in column 5) add up to at most {@code maxBytes}; with
   * {@code firstOfAnySize}, at least the first.
   */
  private static List<Found> withinBytes(List<Found> rows, long maxBytes, boolean firstOfAnySize) {
    long bytes = 0;
    int taken = 0;
    while (taken < rows.size()) {
      long size = rows.get(taken).row().getLong(5);
      if (bytes + size > maxBytes && !(taken == 0 && firstOfAnySize)) {
        break;
      }
      bytes += size;
      taken++;
    }
    return rows.subList(0, taken);
  }

  /**
   * The bodies of the messages of {@code rows} (their id in column 0, their size in column 5), by message id; read
   * {@link #bodyBytesPerRead} at most at a time, one read after the other: several bodies a read, or a larger one in
   * slices.
   */
  private Future<Map<String, Buffer>> bodies(SqlConnection connection, List<Found> rows) {
    Map<String, Buffer> bodies = new HashMap<>();
    Future<Void> read = Future.succeededFuture();
    List<String> together = new ArrayList<>();
    long togetherBytes = 0;
    for (Found found : rows) {
      String id = found.row().getString(0);
      long size = found.row().getLong(5);
      if (size > bodyBytesPerRead) {
        read = read.compose(v -> sliced(connection, id, (int) size, bodies));
        continue;
      }
      if (togetherBytes + size > bodyBytesPerRead) {
        List<String> ids = List.copyOf(together);
        read = read.compose(v -> whole(connection, ids, bodies));
        together.clear();
        togetherBytes = 0;
      }
      together.add(id);
      togetherBytes += size;
    }
    if (!together.isEmpty()) {
      read = read.compose(v -> whole(connection, together, bodies));
    }
    return read.map(bodies);
  }

  private Future<Void> whole(SqlConnection connection, List<String> ids, Map<String, Buffer> bodies) {
    return bodyRows.execute(connection, ids).map(found -> {
      found.forEach(row -> bodies.put(row.getString(0), row.getBuffer(1)));
      return null;
    });
  }

  /** Within the claim's transaction, which the cursor needs. Each slice in its place, whatever order they come in. */
  private Future<Void> sliced(SqlConnection connection, String id, int size, Map<String, Buffer> bodies) {
    // On a worker thread: the allocation of hundreds of MiB can wait for the collector to make room, for seconds.
    return vertx.executeBlocking(() -> Buffer.buffer(size), false)
      .compose(body -> bodySlices.forEachRow(connection, id, 1, row -> body.setBuffer(row.getInteger(0) - 1, row.getBuffer(1)))
        .map(v -> {
          // A message deleted meanwhile has no body, as the whole read would have left it.
          if (body.length() > 0) {
            bodies.put(id, body);
          }
          return null;
        }));
  }

  /**
   * Unordered due deliveries with their message, but the size of its body in place of the body; from the
   * deliveries_due_unordered index, so that keyed deliveries waiting for their key are never stepped over.
   */
  private Future<List<Row>> due(SqlConnection connection, String backend, String status, long now, int limit) {
    return rows(dueRows.execute(connection, new Due(backend, status, now, limit)));
  }

  /**
   * Keyed deliveries whose lease expired (the node under way died), taken over only while no other of their key
   * is under way, the earliest first should several have expired. Not held back by an earlier one pending (an
   * operator's retry, another node's commit order): that one waits for the key, which only this one's end frees.
   */
  private Future<List<Row>> expiredHeads(SqlConnection connection, String backend, long now, int limit) {
    return rows(expiredHeadRows.execute(connection, new Due(backend, DELIVERING, now, limit)));
  }

  /**
   * The due heads of the backend's keys: of each key's unfinished deliveries (pending or under way) the first
   * accepted, when it is pending and none of its key is under way. Read from the deliveries_order index, which holds
   * unfinished keyed deliveries only, so a claim costs what is pending with a key, not the keys' history; the
   * blocked ones behind a head are never scanned one by one.
   */
  private Future<List<Row>> heads(SqlConnection connection, String backend, long now, int limit) {
    return rows(headRows.execute(connection, new Due(backend, PENDING, now, limit)));
  }

  private static Future<List<Row>> rows(Future<RowSet<Row>> query) {
    return query.map(rows -> {
      List<Row> list = new ArrayList<>(rows.size());
      rows.forEach(list::add);
      return list;
    });
  }

  /** The first {@code limit} of two lists each in due order (column 9), merged. */
  private static List<Row> earliestFirst(List<Row> a, List<Row> b, int limit) {
    if (b.isEmpty()) {
      return a;
    }
    List<Row> merged = new ArrayList<>(a);
    merged.addAll(b);
    merged.sort(Comparator.comparingLong(row -> row.getLong(9)));
    return merged.subList(0, Math.min(limit, merged.size()));
  }

  /**
   * Group-committed like accepts, since every transaction is a durable write. An attempt whose lease was lost meanwhile
   * (another node claimed the delivery after it expired) records nothing and answers false.
   */
  @Override
  public Future<Boolean> record(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryStatus next, Instant nextAttemptAt) {
    return records.submit(new Recorded(delivery, attempt, next, nextAttemptAt));
  }

  /**
   * Two statements per batch, whatever its size: the leases' updates (an attempt whose lease was lost records nothing),
   * then the attempts of those that held their lease.
   */
  private Future<List<Boolean>> writeRecords(List<GroupCommit.Entry<Recorded, Boolean>> batch) {
    return turns.other(() -> dialect.inTransaction(pool, connection -> recordIn(connection, batch)))
      .onSuccess(r -> batch.forEach(entry -> metrics.timed(Operation.RECORD, entry.submittedNanos())));
  }

  private Future<List<Boolean>> recordIn(SqlConnection connection, List<GroupCommit.Entry<Recorded, Boolean>> batch) {
    long now = clock.now();
    List<LeaseEnd> leaseEnds = new ArrayList<>(batch.size());
    for (GroupCommit.Entry<Recorded, Boolean> entry : batch) {
      leaseEnds.add(new LeaseEnd(entry.item(), now));
    }
    return endLeases.executeBatch(connection, leaseEnds)
          .compose(updated -> {
            List<Boolean> recorded = new ArrayList<>(batch.size());
            List<Recorded> attempts = new ArrayList<>(batch.size());
            int[] counts = dialect.updateCounts(updated, batch.size());
            for (int i = 0; i < batch.size(); i++) {
              boolean held = counts[i] == 1;
              recorded.add(held);
              if (held) {
                attempts.add(batch.get(i).item());
              }
            }
            Future<?> inserted = attempts.isEmpty() ? Future.succeededFuture() : insertAttempts.executeBatch(connection, attempts)
              .compose(v -> countAttempts.executeBatch(connection, perMinute(attempts)));
            return inserted.compose(v -> recordedBefore(connection, batch, recorded));
          });
  }

  /**
   * The attempts counted per backend, minute, outcome and node, in one order for every batch: two of a node's
   * transactions that add to the same counts then wait for each other rather than deadlock.
   */
  private static List<MinuteCount> perMinute(List<Recorded> attempts) {
    Map<Minute, Long> counts = new TreeMap<>(Comparator.comparing(Minute::backend).thenComparingLong(Minute::start)
      .thenComparing(Minute::outcome).thenComparing(Minute::node));
    for (Recorded recorded : attempts) {
      long started = recorded.attempt().startedAt().toEpochMilli();
      String node = recorded.attempt().node();
      counts.merge(new Minute(recorded.delivery().backend(), started - Math.floorMod(started, MINUTE_MS),
        recorded.attempt().outcome().label(), node == null ? "" : node), 1L, Long::sum);
    }
    return counts.entrySet().stream().map(count -> new MinuteCount(count.getKey(), count.getValue())).toList();
  }

  /**
   * {@code recorded}, with each outcome whose lease was gone taken for recorded when its attempt is in the history:
   * written again after a commit that landed past store.timeoutMs (the lane was told it failed), it was recorded, and
   * taken for a lease another node holds, a dead delivery went without its count, its log line and its alert. An
   * attempt's number is its claim's, so only its own lease can have recorded it.
   */
  private Future<List<Boolean>> recordedBefore(SqlConnection connection, List<GroupCommit.Entry<Recorded, Boolean>> batch,
                                               List<Boolean> recorded) {
    if (!recorded.contains(false)) {
      return Future.succeededFuture(recorded);
    }
    List<Future<Boolean>> checks = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      ClaimedDelivery delivery = batch.get(i).item().delivery();
      checks.add(recorded.get(i) ? Future.succeededFuture(true) : attemptInHistory.execute(connection, Statement.arguments(
        "messageId", delivery.messageId(), "backend", delivery.backend(), "attempt", delivery.attempt())).map(rows -> rows.size() == 1));
    }
    return Future.all(checks).map(all -> all.<Boolean>list());
  }

  /**
   * Group-committed like records: a lane gives back every delivery it holds at once (its circuit opens, no forwarder
   * answers, a rate pause begins), up to hundreds per backend, and in a transaction each they held up accepts
   * (PostgreSQL's pool serves first come) and attempt records (behind the embedded store's one writer) for seconds. A
   * release whose lease was lost meanwhile gives nothing back and answers false.
   */
  @Override
  public Future<Boolean> release(ClaimedDelivery delivery, Instant nextAttemptAt) {
    return releases.submit(new Released(delivery, nextAttemptAt));
  }

  /**
   * One statement per batch, in a transaction as every write (see {@link #write}). Not carried in accept transactions
   * as records are: releases come in bursts of hundreds, not as a steady stream whose commits are worth sharing, and
   * carried they would lengthen the very transactions senders wait on for their 202.
   */
  private Future<List<Boolean>> writeReleases(List<GroupCommit.Entry<Released, Boolean>> batch) {
    return turns.other(() -> dialect.inTransaction(pool, connection -> {
      long now = clock.now();
      List<GiveBack> givenBack = new ArrayList<>(batch.size());
      batch.forEach(entry -> givenBack.add(new GiveBack(entry.item(), now)));
      return giveBack.executeBatch(connection, givenBack).map(updated -> {
        List<Boolean> held = new ArrayList<>(batch.size());
        for (int count : dialect.updateCounts(updated, batch.size())) {
          held.add(count == 1);
        }
        return held;
      });
    }));
  }

  /**
   * One statement in a transaction of its own. Every write goes through a transaction: on the embedded store, a
   * release written in autocommit mode on the pool can stay unseen by the next claims for a whole lease, where a
   * committed transaction is seen at once.
   */
  private <T> Future<RowSet<Row>> write(Statement<T> statement, T arguments) {
    return turns.other(() -> dialect.inTransaction(pool, connection -> statement.execute(connection, arguments)));
  }

  /**
   * Counted from the deliveries alone, over the two indexes that hold only unfinished ones (unkeyed, keyed); the
   * oldest is the message with the smallest id (ids are time-ordered), read once per backend, so the gauge does not
   * cost a row lookup per pending delivery, as joining each to its message for the smallest received_at would.
   */
  @Override
  public Future<List<Backlog>> backlog() {
    return reads.withConnection(connection -> countBacklog.execute(connection, Statement.arguments()))
      .map(rows -> {
        List<Backlog> backlog = new ArrayList<>();
        for (Row row : rows) {
          backlog.add(new Backlog(row.getString(0), row.getLong(1), Instant.ofEpochMilli(row.getLong(2))));
        }
        return backlog;
      });
  }

  @Override
  public Future<Integer> purge(Instant endedBefore) {
    return purgeMessages(endedBefore.toEpochMilli(), 0)
      .compose(messages -> purgeDedupKeys(endedBefore.toEpochMilli()).map(messages))
      .compose(messages -> write(purgeMinutes, Statement.arguments("before", endedBefore.toEpochMilli())).map(messages));
  }

  /** One batch per statement, so that a large purge never holds locks or a transaction for long. */
  private Future<Integer> purgeMessages(long before, int purgedSoFar) {
    return write(purgeMessageBatch, Statement.arguments("before", before, "pending", PENDING, "delivering", DELIVERING,
        "limit", PURGE_BATCH))
      .compose(deleted -> deleted.rowCount() < PURGE_BATCH
        ? Future.succeededFuture(purgedSoFar + deleted.rowCount())
        : purgeMessages(before, purgedSoFar + deleted.rowCount()));
  }

  private Future<Void> purgeDedupKeys(long before) {
    return write(purgeKeyBatch, Statement.arguments("before", before, "limit", PURGE_BATCH))
      .compose(deleted -> deleted.rowCount() < PURGE_BATCH ? Future.succeededFuture() : purgeDedupKeys(before));
  }

  @Override
  public Future<Void> ping() {
    return pool.withConnection(connection -> connection.query("SELECT 1").execute()).mapEmpty();
  }

  /**
   * Ids made from now on sort after every stored message's: started on a clock set back since the last run (a VM
   * restored, an NTP step at boot), a node made ids that sorted before its older messages, and per-key order, the
   * order of ids, delivered a new webhook of a key before an older one still waiting for its retry.
   */
  private Future<Void> idsAfterTheNewest() {
    return pool.withConnection(connection -> connection.query("SELECT MAX(id) FROM messages").execute())
      .map(rows -> {
        String newest = rows.iterator().next().getString(0);
        if (newest != null) {
          TimeOrderedIds.after(newest);
        }
        return null;
      });
  }

  @Override
  public Future<Void> close() {
    outages.closing();
    vertx.cancelTimer(purgeTimer);
    vertx.cancelTimer(clockTimer);
    // Each step bounded by store.timeoutMs: closing the pool of a server that hangs waits on connections that never
    // answer, and a node told to stop (SIGTERM) must stop whatever its store does.
    return Future.join(commits.close(), records.close(), releases.close()).timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .eventually(() -> checkpoints == null ? Future.succeededFuture() : checkpoints.stop().timeout(timeoutMs, TimeUnit.MILLISECONDS))
      .eventually(() -> pool.close().timeout(timeoutMs, TimeUnit.MILLISECONDS))
      .eventually(() -> reads == pool ? Future.succeededFuture() : reads.close().timeout(timeoutMs, TimeUnit.MILLISECONDS))
      .eventually(() -> operatorReads.close().timeout(timeoutMs, TimeUnit.MILLISECONDS))
      .eventually(() -> {
        release.run();
        return Future.succeededFuture();
      }).mapEmpty();
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
