package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.config.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A store of an earlier version, whose attempts the chart counted from the attempts themselves, keeps its history. */
@ExtendWith(VertxExtension.class)
class AttemptMinutesMigrationTest {

  @TempDir
  Path dir;

  @Test
  void theAttemptsStoredBeforeTheUpgradeAreCountedPerBackendMinuteAndOutcome(Vertx vertx) throws Exception {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(10, ChronoUnit.MINUTES);
    Files.createDirectories(dir);
    String jdbcUrl = "jdbc:sqlite:" + dir.resolve(StoreConnection.DATABASE_FILE);
    Flyway.configure().dataSource(jdbcUrl, null, null).locations("classpath:db/migration").target("6").load().migrate();
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      connection.createStatement().execute("INSERT INTO messages (id, route, method, uri, headers, body, received_at)"
        + " VALUES ('m1', '/hooks', 'POST', '/hooks', '{}', x'', " + minute.toEpochMilli() + ")");
      connection.createStatement().execute("INSERT INTO deliveries (message_id, backend, status, attempts, next_attempt_at,"
        + " updated_at) VALUES ('m1', 'ci', 'delivered', 3, 0, 0), ('m1', 'audit', 'dead', 1, 0, 0)");
      try (PreparedStatement attempt = connection.prepareStatement("INSERT INTO attempts (message_id, backend, attempt,"
        + " started_at, duration_ms, outcome, node, manual) VALUES ('m1', ?, ?, ?, 5, ?, ?, FALSE)")) {
        // Two nodes' attempts in one minute, one of them with no node recorded.
        Object[][] attempts = {
          {"ci", 1, minute.plusSeconds(1), "unreachable", "node-a"},
          {"ci", 2, minute.plusSeconds(59), "unreachable", null},
          {"ci", 3, minute.plusSeconds(61), "delivered", "node-b"},
          {"audit", 1, minute.plusSeconds(2), "rejected", "node-a"}};
        for (Object[] row : attempts) {
          attempt.setString(1, (String) row[0]);
          attempt.setInt(2, (Integer) row[1]);
          attempt.setLong(3, ((Instant) row[2]).toEpochMilli());
          attempt.setString(4, (String) row[3]);
          attempt.setString(5, (String) row[4]);
          attempt.executeUpdate();
        }
      }
    }

    SqlDeliveryStore store = StoreContractTest.open(vertx, new StoreConfig(dir, null, null, null, 168, 5_000))
      .await(30, TimeUnit.SECONDS);
    try {
      List<ActivityCount> counts = store.operations().activity(minute).await(10, TimeUnit.SECONDS);
      assertEquals(Set.of(
        new ActivityCount("ci", minute, AttemptOutcome.UNREACHABLE, 2),
        new ActivityCount("audit", minute, AttemptOutcome.REJECTED, 1),
        new ActivityCount("ci", minute.plusSeconds(60), AttemptOutcome.DELIVERED, 1)), Set.copyOf(counts));
    } finally {
      store.close().await(10, TimeUnit.SECONDS);
    }
  }
}
