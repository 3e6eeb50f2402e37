package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract on a real PostgreSQL server started for this class. */
class PostgresStoreTest extends StoreContractTest {

  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  @Override
  StoreConfig freshStore() {
    return postgres.freshDatabase();
  }

  /** Past 32,768 rows a claim's body read would bind 65,536 parameters, which PostgreSQL refuses. */
  @Override
  int claimBacklog() {
    return 33_000;
  }

  /**
   * A migration that alters a table waits for its lock, and every node's accepts queue behind it: a transaction
   * holding the table (a long backup) must stop the start within a bound, as a server not yet reachable does, so that
   * it is tried again rather than stalling the cluster.
   */
  @Test
  void aMigrationThatCannotTakeItsTablesLockStopsTheStartAsAStoreNotYetReachable(Vertx vertx) throws Exception {
    StoreConfig config = postgres.freshDatabase();
    String jdbcUrl = "jdbc:" + config.url();
    // The database as the shared migrations up to V5 leave it, before the PostgreSQL-only V5.1.
    Flyway.configure().dataSource(jdbcUrl, config.user(), config.password()).locations("classpath:db/migration").target("5")
      .load().migrate();
    try (Connection holder = DriverManager.getConnection(jdbcUrl, config.user(), config.password())) {
      holder.setAutoCommit(false);
      try (Statement statement = holder.createStatement()) {
        statement.executeQuery("SELECT 1 FROM messages").close();
      }
      long start = System.nanoTime();
      Throwable failure = open(vertx, config).transform(Future::succeededFuture).await(60, TimeUnit.SECONDS).cause();
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      StoreOpenException refused = assertInstanceOf(StoreOpenException.class, failure);
      assertTrue(refused.temporary(), refused.getMessage());
      assertTrue(elapsedMs < 30_000, "stopped after " + elapsedMs + " ms");
      holder.rollback();
    }
  }

  @Test
  void namesStoreUrlWhenTheDatabaseCannotBeOpened(Vertx vertx, VertxTestContext context) {
    // The test server trusts loopback connections, so a missing database stands for wrong credentials.
    StoreConfig wrong = new StoreConfig(null, "postgresql://127.0.0.1:" + postgres.port() + "/no_such_database",
      Postgres.USER, Postgres.PASSWORD, 1, 5_000);
    open(vertx, wrong).onComplete(context.failing(e -> context.verify(() -> {
      assertInstanceOf(StoreOpenException.class, e);
      assertTrue(e.getMessage().startsWith("store.url postgresql://"), e.getMessage());
      context.completeNow();
    })));
  }

  @Test
  void aStoreUrlThatDoesNotParseIsNamedWithoutItsPassword(Vertx vertx, VertxTestContext context) {
    StoreConfig unencoded = new StoreConfig(null, "postgresql://hookcast:Ab+c/d=@127.0.0.1:" + postgres.port() + "/x", null,
      null, 1, 5_000);
    open(vertx, unencoded).onComplete(context.failing(e -> context.verify(() -> {
      assertInstanceOf(StoreOpenException.class, e);
      assertTrue(e.getMessage().startsWith("store.url"), e.getMessage());
      assertFalse(e.getMessage().contains("Ab+c"), e.getMessage());
      assertFalse(unencoded.toString().contains("Ab+c"), unencoded.toString());
      context.completeNow();
    })));
  }
}
