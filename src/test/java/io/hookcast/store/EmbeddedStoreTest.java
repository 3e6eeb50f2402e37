package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedStoreTest extends StoreContractTest {

  @TempDir
  Path dir;
  private int stores;

  @Override
  StoreConfig freshStore() {
    return new StoreConfig(dir.resolve("store-" + ++stores), null, null, null, 168, 5_000);
  }

  @Test
  void copiesItsWriteAheadLogBackIntoTheDatabaseWhileItRuns(Vertx vertx, VertxTestContext context) {
    StoreConfig config = freshStore();
    Path database = config.path().resolve("hookcast.db");
    String body = "x".repeat(4096);
    long[] sizes = new long[2];
    open(vertx, config).compose(store -> {
        sizes[0] = database.toFile().length();
        List<Future<Accepted>> accepts = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
          accepts.add(store.accept(message("/github", null, body + i, "ci")));
        }
        // The writer copies nothing back itself: only the checkpoints beside it make the database file grow (closing
        // the store would too, so the size is taken while it is open).
        return Future.all(accepts).compose(v -> until(vertx, () -> database.toFile().length() > sizes[0] + 1_000 * 4096L, 100))
          .onComplete(v -> sizes[1] = database.toFile().length())
          .eventually(store::close);
      })
      .onComplete(context.succeeding(v -> context.verify(() -> {
        assertTrue(sizes[1] > sizes[0] + 1_000 * 4096L, "database file while open: " + sizes[1] + " bytes, at open " + sizes[0]);
        context.completeNow();
      })));
  }

  /**
   * A claim that waits for the writer (another connection holds it for 1.5 s) leases for its whole lease from when it
   * leases: counted from before the wait, the lease had ended by the time it was taken, and the next claim made the
   * delivery again while its first attempt ran.
   */
  @Test
  void aClaimThatWaitedForTheWriterHoldsItsWholeLease(Vertx vertx) throws Exception {
    StoreConfig config = freshStore();
    SqlDeliveryStore store = open(vertx, config).await(30, TimeUnit.SECONDS);
    try {
      store.accept(message("/github", null, "held", "ci")).await(10, TimeUnit.SECONDS);
      CountDownLatch locked = new CountDownLatch(1);
      Thread writer = new Thread(() -> {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path().resolve("hookcast.db"));
             java.sql.Statement sql = connection.createStatement()) {
          sql.execute("BEGIN IMMEDIATE");
          locked.countDown();
          Thread.sleep(1_500);
          sql.execute("ROLLBACK");
        } catch (SQLException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      writer.start();
      assertTrue(locked.await(10, TimeUnit.SECONDS), "the other connection did not take the writer");
      List<ClaimedDelivery> first = store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 1_000).await(30, TimeUnit.SECONDS);
      List<ClaimedDelivery> second = store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 1_000).await(30, TimeUnit.SECONDS);
      writer.join(10_000);
      assertEquals(1, first.size());
      assertEquals(List.of(), second, "claimed again while the first claim's lease ran");
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * An operator's retry of many searches a store of many finished deliveries without holding its one writer: held for
   * the search, every accept waited for it, and on a store of millions answered 503 at the store's timeout.
   */
  @Test
  void aRetryOfManySearchesWithoutHoldingTheWriter(Vertx vertx) throws Exception {
    StoreConfig config = freshStore();
    open(vertx, config).await(30, TimeUnit.SECONDS).close().await(10, TimeUnit.SECONDS);
    String database = "jdbc:sqlite:" + config.path().resolve("hookcast.db");
    try (Connection connection = DriverManager.getConnection(database); java.sql.Statement sql = connection.createStatement()) {
      sql.execute("BEGIN");
      sql.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) INSERT INTO messages (id,"
        + " route, method, uri, headers, body, received_at) SELECT printf('%036d', i), '/github', 'POST', '/github', '[]', x'', i FROM n");
      sql.execute("INSERT INTO deliveries (message_id, backend, status, attempts, next_attempt_at, updated_at)"
        + " SELECT id, 'ci', 'delivered', 1, 0, 0 FROM messages");
      sql.execute("COMMIT");
    }
    SqlDeliveryStore store = open(vertx, config).await(30, TimeUnit.SECONDS);
    try {
      Future<Integer> retry = store.operations().retryAll(new MessageQuery("/elsewhere", null, null, null, null, null));
      int looks = 0;
      int held = 0;
      try (Connection connection = DriverManager.getConnection(database); java.sql.Statement sql = connection.createStatement()) {
        sql.execute("PRAGMA busy_timeout = 0");
        while (!retry.isComplete()) {
          looks++;
          try {
            sql.execute("BEGIN IMMEDIATE");
            sql.execute("ROLLBACK");
          } catch (SQLException busy) {
            held++;
          }
        }
      }
      assertEquals(0, retry.await(30, TimeUnit.SECONDS));
      assertEquals(0, held, "the writer was held in " + held + " of " + looks + " looks while the retry searched");
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A node started on a clock set back since its last run (here: a stored message's id is a minute ahead of the clock)
   * still gives each new message an id after every stored one: ids are the order per-key delivery keeps.
   */
  @Test
  void aStoreOpenedOnAClockSetBackGivesNewMessagesIdsAfterTheStoredOnes(Vertx vertx) throws Exception {
    StoreConfig config = freshStore();
    open(vertx, config).await(30, TimeUnit.SECONDS).close().await(10, TimeUnit.SECONDS);
    long minuteAhead = System.currentTimeMillis() + 60_000;
    String ahead = new java.util.UUID((minuteAhead << 16) | 0x7000L, 0x8000000000000000L).toString();
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.path().resolve("hookcast.db"));
         java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO messages (id, route, method, uri, headers,"
           + " body, received_at) VALUES (?, '/github', 'POST', '/github', '[]', x'', ?)")) {
      insert.setString(1, ahead);
      insert.setLong(2, minuteAhead);
      insert.executeUpdate();
    }
    SqlDeliveryStore store = open(vertx, config).await(30, TimeUnit.SECONDS);
    try {
      String id = store.accept(message("/github", null, "after", "ci")).await(10, TimeUnit.SECONDS).id();
      assertTrue(id.compareTo(ahead) > 0, id + " sorts before the stored " + ahead);
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Only this process uses the store: a lease found when it opens belongs to a process that is gone, keyed or not. */
  @Test
  void leasesHeldWhenTheStoreClosedAreDueAtOnceWhenItOpensAgain(Vertx vertx, VertxTestContext context) {
    StoreConfig config = freshStore();
    open(vertx, config)
      .compose(store -> store.accept(message("/hooks", null, "unkeyed", "ci"))
        .compose(v -> store.accept(keyed(message("/hooks", null, "keyed", "ci"), "shop-1")))
        .compose(v -> store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 600_000))
        .eventually(store::close))
      .compose(before -> open(vertx, config)
        .compose(store -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 600_000).eventually(store::close))
        .map(after -> List.of(before, after)))
      .onComplete(context.succeeding(claims -> context.verify(() -> {
        assertEquals(2, claims.get(0).size(), "leased before the store closed");
        assertEquals(Set.of("unkeyed", "keyed"), claims.get(1).stream().map(d -> d.body().toString()).collect(Collectors.toSet()),
          "claimed at once after it opened again, though their leases had ten minutes to run");
        claims.get(1).forEach(delivery -> assertEquals(2, delivery.attempt(), delivery.body().toString()));
        context.completeNow();
      })));
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier done, int triesLeft) {
    if (done.getAsBoolean() || triesLeft == 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(50).compose(v -> until(vertx, done, triesLeft - 1));
  }

  @Test
  void createsItsDirectoryOnFirstStart(Vertx vertx, VertxTestContext context) {
    StoreConfig config = new StoreConfig(dir.resolve("a/b/data"), null, null, null, 1, 5_000);
    open(vertx, config).compose(SqlDeliveryStore::close)
      .onComplete(context.succeeding(v -> context.verify(() -> {
        assertTrue(Files.isDirectory(config.path()));
        context.completeNow();
      })));
  }

  @Test
  void refusesAPathAnotherStoreHasOpenNamingStorePathAsSomethingToWaitOut(Vertx vertx, VertxTestContext context) {
    StoreConfig config = freshStore();
    open(vertx, config).compose(first -> open(vertx, config).eventually(first::close))
      .onComplete(context.failing(e -> context.verify(() -> {
        assertInstanceOf(StoreOpenException.class, e);
        assertTrue(e.getMessage().startsWith("store.path '" + config.path() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("in use by another Hookcast process"), e.getMessage());
        // The process holding it may be one still draining as its replacement starts: exit 15, started again.
        assertTrue(((StoreOpenException) e).temporary(), "a held directory is a condition to wait out");
        context.completeNow();
      })));
  }

  @Test
  void opensAPathAgainOnceTheStoreThatHeldItIsClosed(Vertx vertx, VertxTestContext context) {
    StoreConfig config = freshStore();
    open(vertx, config).compose(SqlDeliveryStore::close)
      .compose(v -> open(vertx, config)).compose(SqlDeliveryStore::close)
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void refusesAPathHoldingAnEarlierH2StoreRatherThanLeaveItsDeliveriesBehind(Vertx vertx, VertxTestContext context)
    throws Exception {
    StoreConfig config = freshStore();
    Files.createDirectories(config.path());
    Files.writeString(config.path().resolve("hookcast.mv.db"), "H2");
    open(vertx, config).onComplete(context.failing(e -> context.verify(() -> {
      assertInstanceOf(StoreOpenException.class, e);
      assertTrue(e.getMessage().startsWith("store.path '" + config.path() + "'"), e.getMessage());
      assertTrue(e.getMessage().contains("hookcast.mv.db"), e.getMessage());
      context.completeNow();
    })));
  }

  @Test
  void namesStorePathWhenItCannotBeCreated(Vertx vertx, VertxTestContext context) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
    StoreConfig config = new StoreConfig(file.resolve("data"), null, null, null, 1, 5_000);
    open(vertx, config).onComplete(context.failing(e -> context.verify(() -> {
      assertInstanceOf(StoreOpenException.class, e);
      assertTrue(e.getMessage().startsWith("store.path '" + config.path() + "'"), e.getMessage());
      context.completeNow();
    })));
  }

  @Test
  void itsDirectoryAndFilesAreReadableByTheOwnerOnlyEvenWhereTheyExistedOpenToOthers(Vertx vertx, VertxTestContext context)
    throws Exception {
    StoreConfig config = new StoreConfig(dir.resolve("open-data"), null, null, null, 1, 5_000);
    Files.createDirectories(config.path(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(config.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
    open(vertx, config).compose(SqlDeliveryStore::close)
      .onComplete(context.succeeding(v -> context.verify(() -> {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.path())));
        try (var files = Files.list(config.path())) {
          List<Path> all = files.toList();
          assertTrue(all.stream().anyMatch(file -> file.getFileName().toString().equals("hookcast.db")), all.toString());
          for (Path file : all) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
          }
        }
        context.completeNow();
      })));
  }
}
