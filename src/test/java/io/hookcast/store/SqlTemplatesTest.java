package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link Statement}s, rendered by vertx-sql-client-templates, on each database's own client (the JDBC client of the
 * embedded store, the PostgreSQL client): made once on the pool and run on a transaction's connection, a name used
 * twice, batches, and each batched statement's update count as {@link Dialect#updateCounts} reads it.
 */
class SqlTemplatesTest {

  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

  private record Pair(String key, long value) {
  }

  private static final Map<String, Function<Pair, ?>> PAIR = Map.of("key", Pair::key, "value", Pair::value);

  abstract static class OnClient {

    private final Vertx vertx = Vertx.vertx();
    private StoreConnection.Opened opened;

    abstract StoreConfig store();

    @BeforeEach
    void open() throws Exception {
      opened = await(StoreConnection.open(vertx, store()));
      await(opened.pool().query("CREATE TABLE pairs (k VARCHAR(20) PRIMARY KEY, v BIGINT NOT NULL)").execute());
    }

    @AfterEach
    void close() throws Exception {
      if (opened.checkpoints() != null) {
        await(opened.checkpoints().stop());
      }
      await(opened.pool().close());
      if (opened.reads() != opened.pool()) {
        await(opened.reads().close());
      }
      await(opened.operatorReads().close());
      opened.release().run();
      await(vertx.close());
    }

    @Test
    void bindsNamedParametersInTheClientsPlaceholdersAndReportsEachBatchedUpdate() throws Exception {
      Dialect dialect = opened.dialect();
      Statement<Pair> insert = Statement.of(opened.pool(), "INSERT INTO pairs (k, v) VALUES (#{key}, #{value})", PAIR);
      Statement<Pair> add = Statement.of(opened.pool(),
        "UPDATE pairs SET v = v + #{value} WHERE k = #{key} AND v < #{value} + 10", PAIR);
      Statement<Map<String, Object>> atLeast = Statement.named(opened.reads(),
        "SELECT k, v FROM pairs WHERE v >= #{min} AND k <> #{skipped} ORDER BY k");

      StorePool pool = new StorePool(opened.pool(), vertx, 0, "the test's store");
      await(dialect.inTransaction(pool, connection ->
        insert.executeBatch(connection, List.of(new Pair("a", 1), new Pair("b", 2), new Pair("c", 3), new Pair("d", 4)))));
      int[] counts = await(dialect.inTransaction(pool, connection ->
        add.executeBatch(connection, List.of(new Pair("a", 10), new Pair("x", 10), new Pair("c", -10)))
          .map(batch -> dialect.updateCounts(batch, 3))));
      assertArrayEquals(new int[] {1, 0, 0}, counts);

      RowSet<Row> rows = await(atLeast.execute(opened.reads(), Statement.arguments("min", 2L, "skipped", "d")));
      List<String> found = new ArrayList<>();
      rows.forEach(row -> found.add(row.getString(0) + "=" + row.getLong(1)));
      assertEquals(List.of("a=11", "b=2", "c=3"), found);
    }

    @Test
    void refusesATemplateNamingAValueItIsNotGiven() {
      assertThrows(IllegalArgumentException.class, () -> Statement.of(opened.pool(), "SELECT v FROM pairs WHERE k = #{k}", PAIR));
    }
  }

  @Nested
  class Embedded extends OnClient {
    @TempDir
    Path dir;

    @Override
    StoreConfig store() {
      return new StoreConfig(dir.resolve("store"), null, null, null, 168, 5_000);
    }
  }

  @Nested
  class Postgres extends OnClient {
    @Override
    StoreConfig store() {
      return postgres.freshDatabase();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
