package io.hookcast.schedule;

import io.hookcast.config.StoreConfig;
import io.hookcast.store.Accepted;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.Postgres;
import io.hookcast.testing.RecordingBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An attempt's outcome that the store failed to write (here: a PostgreSQL server that hung while it was written) is
 * written again, so that a delivered webhook is not delivered again when its lease ends.
 */
@ExtendWith(VertxExtension.class)
class UnwrittenOutcomeTest {

  @TempDir
  Path dataDir;
  private Postgres postgres;

  /** Resumes the server if the test paused it, then stops it. */
  @AfterEach
  void stopPostgres() {
    // Null when the server did not start: the test's own failure says why.
    if (postgres != null) {
      postgres.stop();
    }
  }

  @Test
  void anOutcomeTheStoreFailedToWriteIsWrittenAgainNotDeliveredAgainWhenItsLeaseEnds(Vertx vertx) throws Exception {
    postgres = Postgres.startIn(dataDir);
    StoreConfig config = postgres.freshDatabase(1_000);
    SqlDeliveryStore store = SqlDeliveryStore.open(vertx, config, new StoreMetrics(new SimpleMeterRegistry())).await(30, TimeUnit.SECONDS);
    try (LogCapture log = LogCapture.of("io.hookcast.store.StorePool")) {
      // It answers half a second after it received the webhook: by then the server hangs, and so does the record.
      RecordingBackend backend = RecordingBackend.answeringAfter(vertx, 500, 200, "ok").await(10, TimeUnit.SECONDS);
      AsyncSetup.deliver(vertx, store, new StoreMetrics(new SimpleMeterRegistry()), "node-a",
        AsyncSetup.backend("ci", backend.url(), 5_000, 100), List.of(60_000L), 30_000).await(30, TimeUnit.SECONDS);
      Accepted accepted = store.accept(AsyncSetup.message("once", "ci")).await(10, TimeUnit.SECONDS);
      Eventually.until(Duration.ofSeconds(10), () -> !backend.received().isEmpty(), () -> "not sent");

      postgres.pause();
      long pausedAt = System.nanoTime();
      // The record starts half a second from now; its connection is closed 5 s after that (three store.timeoutMs, at
      // least 5 s). Resumed only then, so that the record cannot end on its own first connection; its next try comes a
      // second after that close. Another piece of work (a claim) may have its connection closed earlier.
      Eventually.until(Duration.ofSeconds(20), () -> log.lines().stream().anyMatch(line -> line.contains("closing the connection")),
        () -> "no connection was closed: " + log.lines());
      vertx.timer(Math.max(1, 5_800 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt))).await(10, TimeUnit.SECONDS);
      postgres.resume();

      // Well before the 30 s lease ends, after which the delivery would be claimed and sent again.
      Eventually.until(Duration.ofSeconds(10), () -> status(store, accepted.id()) == DeliveryStatus.DELIVERED,
        () -> "not recorded as delivered: " + status(store, accepted.id()));
      assertEquals(1, backend.received().size(), "sent again");
    } finally {
      AsyncSetup.undeployThenClose(vertx, store).await(30, TimeUnit.SECONDS);
    }
  }

  /** The status of the message's one delivery, or {@code null} should the store not say within 5 s. */
  private static DeliveryStatus status(SqlDeliveryStore store, String messageId) {
    try {
      return store.operations().message(messageId, Integer.MAX_VALUE).await(5, TimeUnit.SECONDS).summary().deliveries().get(0).status();
    } catch (TimeoutException e) {
      return null;
    }
  }
}
