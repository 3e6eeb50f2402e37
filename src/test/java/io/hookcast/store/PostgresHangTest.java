package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.config.StoreConfig;
import io.hookcast.http.HookcastHeaders;
import io.hookcast.schedule.DeliveryScheduler;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PostgreSQL store whose server stops answering (paused with SIGSTOP, as a hung host or a partition looks): accepts
 * fail within store.timeoutMs instead of waiting, and once the server answers again accepting resumes and what was
 * accepted is there. A connection that alone hangs (its server process paused, as a socket whose peer vanished looks)
 * is closed, and the store goes on with new ones.
 */
@ExtendWith(VertxExtension.class)
class PostgresHangTest {

  private static final long TIMEOUT_MS = 1_000;

  @TempDir
  Path dataDir;
  private Postgres postgres;
  private StoreConfig config;

  /** Each case pauses its own server: it runs in a directory of its own, with a database of its store's. */
  @BeforeEach
  void startPostgres() {
    postgres = Postgres.startIn(dataDir);
    config = postgres.freshDatabase(TIMEOUT_MS);
  }

  /** Resumes what a test paused, then stops the server. */
  @AfterEach
  void stopPostgres() {
    postgres.stop();
  }

  /**
   * A node starting against a server that takes connections and never answers: its start fails within the store's
   * bound, as one that cannot reach the server (to be waited out), where it used to hang until the deployment's own
   * two-minute timeout, which names no key.
   */
  @Test
  void openingAStoreWhoseServerNeverAnswersFailsWithinItsBoundAsUnreachable(Vertx vertx) throws Exception {
    postgres.pause();
    long start = System.nanoTime();
    Throwable failure = StoreContractTest.open(vertx, config).transform(ar -> Future.succeededFuture(ar.cause()))
      .await(60, TimeUnit.SECONDS);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertInstanceOf(StoreOpenException.class, failure);
    assertTrue(((StoreOpenException) failure).temporary(), failure.getMessage());
    assertTrue(failure.getMessage().startsWith("store.url"), failure.getMessage());
    assertTrue(tookMs < 15_000, "failed after " + tookMs + " ms");
  }

  @Test
  void acceptsFailWithinTheTimeoutWhileTheServerHangsAndResumeWhenItAnswers(Vertx vertx) throws Exception {
    SqlDeliveryStore store = StoreContractTest.open(vertx, config).await(30, TimeUnit.SECONDS);
    try {
      Accepted before = store.accept(AsyncSetup.message("before", "ci")).await(10, TimeUnit.SECONDS);
      assertTrue(store.accepting());

      postgres.pause();
      long start = System.nanoTime();
      Throwable refused = store.accept(AsyncSetup.message("during", "ci")).transform(Future::succeededFuture)
        .await(10, TimeUnit.SECONDS).cause();
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertInstanceOf(StoreUnavailableException.class, refused, "accepted while the server hung");
      assertTrue(elapsedMs >= TIMEOUT_MS - 50 && elapsedMs < TIMEOUT_MS + 1_500, "refused after " + elapsedMs + " ms");
      assertFalse(store.accepting(), "the store says it accepts while accepts fail");
      // A second one is refused within the timeout too: the hung batch does not hold the ones after it.
      start = System.nanoTime();
      assertInstanceOf(StoreUnavailableException.class, store.accept(AsyncSetup.message("during 2", "ci"))
        .transform(Future::succeededFuture).await(10, TimeUnit.SECONDS).cause());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < TIMEOUT_MS + 1_500);

      postgres.resume();
      Accepted after = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (after == null && System.nanoTime() < deadline) {
        after = store.accept(AsyncSetup.message("after", "ci")).otherwiseEmpty().await(10, TimeUnit.SECONDS);
      }
      assertTrue(after != null, "accepting did not resume within 20 s of the server answering again");
      assertTrue(store.accepting());
      List<ClaimedDelivery> claimed = store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000).await(10, TimeUnit.SECONDS);
      List<String> ids = claimed.stream().map(ClaimedDelivery::messageId).toList();
      assertTrue(ids.contains(before.id()) && ids.contains(after.id()), ids.toString());
      assertEquals(0, claimed.stream().filter(delivery -> delivery.body().toString().startsWith("during")).count(),
        "a webhook refused with 503 was stored: " + ids);
    } finally {
      postgres.resume();
      store.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConnectionWhoseServerHangsIsClosedAfterItsBoundAndTheStoreGoesOnWithNewOnes(Vertx vertx) throws Exception {
    long hangMs = StorePool.hangMs(config);
    SqlDeliveryStore store = StoreContractTest.open(vertx, config).await(30, TimeUnit.SECONDS);
    List<Long> hungConnections = List.of();
    try {
      Accepted before = store.accept(AsyncSetup.message("before", "ci")).await(10, TimeUnit.SECONDS);
      hungConnections = postgres.pauseConnections(config.url().substring(config.url().lastIndexOf('/') + 1));

      // Every connection the pool holds now hangs: the claim takes one of them.
      long start = System.nanoTime();
      Throwable failed = store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000).transform(Future::succeededFuture)
        .await(hangMs + 15_000, TimeUnit.MILLISECONDS).cause();
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(causes(failed).anyMatch(ClosedConnectionException.class::isInstance), "not failed by closing: " + failed);
      assertTrue(elapsedMs >= hangMs - 50 && elapsedMs < hangMs + 2_000, "failed after " + elapsedMs + " ms");

      // Each hung connection the pool still holds is closed in turn when lent; then claims and accepts go on.
      List<String> claimed = List.of();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * hangMs + 10_000);
      while (claimed.isEmpty() && System.nanoTime() < deadline) {
        claimed = store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000).otherwise(List.of())
          .await(hangMs + 15_000, TimeUnit.MILLISECONDS).stream().map(ClaimedDelivery::messageId).toList();
      }
      assertEquals(List.of(before.id()), claimed, "the webhook stored before the hang was not claimed");
      assertTrue(store.accept(AsyncSetup.message("after", "ci")).await(10, TimeUnit.SECONDS).id() != null);

      // The socket was closed, not only given up on: woken, the server process that served it finds it gone and ends.
      postgres.resume(hungConnections);
      long exitDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (hungConnections.stream().allMatch(Postgres::running) && System.nanoTime() < exitDeadline) {
        vertx.timer(50).await(5, TimeUnit.SECONDS);
      }
      assertFalse(hungConnections.stream().allMatch(Postgres::running), "every paused server process still runs: " + hungConnections);
    } finally {
      // Before the close, which would otherwise wait on the hung connections.
      postgres.resume(hungConnections);
      store.close().await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * A commit slower than store.timeoutMs (a disk that stalls as it syncs; here a deferred trigger that sleeps): its
   * sender was answered 503, "not stored", so what it stored once the commit ended is deleted again. One with a sender
   * id is kept instead: its sender's retry is taken for a duplicate of it, and it is delivered once, at once, as its
   * first attempt (the lane the accept leased it to was never handed it).
   */
  @Test
  void aBatchThatCommitsAfterItsSenderWasAnswered503IsDeletedAgainUnlessItHasASenderId(Vertx vertx) throws Exception {
    SqlDeliveryStore store = StoreContractTest.open(vertx, config).await(30, TimeUnit.SECONDS);
    try (Connection admin = DriverManager.getConnection("jdbc:" + config.url(), config.user(), config.password());
         java.sql.Statement sql = admin.createStatement()) {
      RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
      AsyncSetup.deliver(vertx, store, new StoreMetrics(new SimpleMeterRegistry()), "node-a",
        AsyncSetup.backend("ci", backend.url(), 5_000, 100), List.of(60_000L), 60_000).await(30, TimeUnit.SECONDS);
      commitsTakeTwoSeconds(sql, "messages");

      refusedWithinTheTimeoutThenCommitted(vertx, store, AsyncSetup.message("plain", "ci"));
      assertEquals(0, count(sql, "SELECT (SELECT COUNT(*) FROM messages) + (SELECT COUNT(*) FROM deliveries)"),
        "a webhook answered 503 is still stored, and would be delivered");

      refusedWithinTheTimeoutThenCommitted(vertx, store, keyed("sender-1"));
      assertEquals(1, count(sql, "SELECT COUNT(*) FROM messages"), "the webhook with a sender id was not kept");
      sql.execute("DROP TRIGGER slow_commit ON messages");
      Accepted retried = store.accept(keyed("sender-1")).await(10, TimeUnit.SECONDS);
      assertTrue(retried.duplicate(), "the sender's retry was stored again beside the one kept");
      // Well within the 60 s lease the accept gave it.
      Eventually.until(Duration.ofSeconds(10), () -> !backend.received().isEmpty(), () -> "the webhook kept was not delivered");
      vertx.timer(500).await(5, TimeUnit.SECONDS);
      assertEquals(List.of(retried.id() + " attempt 1"), backend.received().stream().map(received -> received.headers()
        .get(HookcastHeaders.MESSAGE_ID) + " attempt " + received.headers().get(HookcastHeaders.ATTEMPT)).toList(),
        "the webhook kept is delivered once, as its first attempt");
    } finally {
      AsyncSetup.undeployThenClose(vertx, store).await(30, TimeUnit.SECONDS);
    }
  }

  /**
   * An outcome whose commit lands after store.timeoutMs (its lane was told it failed) and is then written again, as
   * the lane does: the second write finds it recorded and says so. Taken for a lease another node holds, a dead
   * delivery went without its count, its log line and its alert.
   */
  @Test
  void anOutcomeWrittenAgainAfterItsLateCommitIsFoundRecorded(Vertx vertx) throws Exception {
    SqlDeliveryStore store = StoreContractTest.open(vertx, config).await(30, TimeUnit.SECONDS);
    try (Connection admin = DriverManager.getConnection("jdbc:" + config.url(), config.user(), config.password());
         java.sql.Statement sql = admin.createStatement()) {
      store.accept(AsyncSetup.message("doomed", "ci")).await(10, TimeUnit.SECONDS);
      ClaimedDelivery delivery = store.claim("ci", "node-a", 1, Long.MAX_VALUE, true, 60_000).await(10, TimeUnit.SECONDS).get(0);
      commitsTakeTwoSeconds(sql, "attempts");
      AttemptRecord failed = new AttemptRecord(Instant.now(), 5, 500, AttemptOutcome.REJECTED, null, "broken", "node-a", false);

      Throwable late = store.record(delivery, failed, DeliveryStatus.DEAD, null).transform(Future::succeededFuture)
        .await(10, TimeUnit.SECONDS).cause();
      assertInstanceOf(StoreUnavailableException.class, late, "recorded within the timeout though the commit took 2 s");
      // The commit ends 2 s after it began.
      vertx.timer(2_500).await(5, TimeUnit.SECONDS);
      sql.execute("DROP TRIGGER slow_commit ON attempts");

      assertTrue(store.record(delivery, failed, DeliveryStatus.DEAD, null).await(10, TimeUnit.SECONDS),
        "the outcome its late commit recorded was taken for another node's lease");
      assertEquals(1, count(sql, "SELECT COUNT(*) FROM attempts"));
    } finally {
      store.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Accepts {@code message}, refused after the timeout while its commit sleeps; returns once that commit has ended. */
  private static void refusedWithinTheTimeoutThenCommitted(Vertx vertx, SqlDeliveryStore store, NewMessage message) throws Exception {
    long start = System.nanoTime();
    Throwable refused = store.accept(message).transform(Future::succeededFuture).await(10, TimeUnit.SECONDS).cause();
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertInstanceOf(StoreUnavailableException.class, refused, "accepted though the commit took 2 s");
    assertTrue(elapsedMs < TIMEOUT_MS + 500, "refused after " + elapsedMs + " ms");
    // The commit ends 2 s after it began (what it wrote is seen only then); what follows it, at once.
    vertx.timer(3_000 - elapsedMs).await(5, TimeUnit.SECONDS);
  }

  /** A commit that inserted into {@code table} ends 2 s after it began; DROP TRIGGER slow_commit ON it undoes it. */
  private static void commitsTakeTwoSeconds(java.sql.Statement sql, String table) throws SQLException {
    sql.execute("CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NULL;"
      + " END $$");
    sql.execute("CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON " + table + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
      + " EXECUTE FUNCTION slow_commit()");
  }

  private static long count(java.sql.Statement sql, String query) throws SQLException {
    try (ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** A webhook with a sender id, as a route with dedup stores it. */
  private static NewMessage keyed(String senderId) {
    NewMessage message = AsyncSetup.message("keyed", "ci");
    return new NewMessage(message.route(), message.method(), message.uri(), message.headers(), message.body(), message.backends(),
      senderId, message.dedupSince(), message.receivedAt(), message.orderKey(), message.traceParent());
  }

  private static Stream<Throwable> causes(Throwable failure) {
    return Stream.iterate(failure, cause -> cause != null, Throwable::getCause).limit(10);
  }
}
