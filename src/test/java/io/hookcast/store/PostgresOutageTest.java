package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.Postgres;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A PostgreSQL store whose server goes away: accepts fail, and nothing half-stored appears when it is back. */
@ExtendWith(VertxExtension.class)
class PostgresOutageTest {

  @TempDir
  Path dataDir;
  private Postgres postgres;

  @AfterEach
  void stopPostgres() {
    postgres.stop();
  }

  @Test
  void failsAcceptsWhileThePostgresServerIsDownAndKeepsOnlyWhatWasAccepted(Vertx vertx, VertxTestContext context) {
    postgres = Postgres.startIn(dataDir);
    StoreConfig config = postgres.freshDatabase();
    StoreContractTest.open(vertx, config)
      .compose(store -> store.accept(AsyncSetup.message("before", "ci", "audit"))
        .compose(before -> {
          postgres.stop();
          return store.accept(AsyncSetup.message("during", "ci", "audit"))
            .transform(during -> {
              context.verify(() -> assertInstanceOf(StoreUnavailableException.class, during.cause(),
                "accepted while the store was down: " + during));
              return store.ping().transform(ping -> {
                context.verify(() -> assertEquals(true, ping.failed(), "ping succeeded while the store was down"));
                return store.close();
              });
            })
            .compose(v -> {
              postgres = postgres.restart(dataDir);
              return StoreContractTest.open(vertx, config);
            })
            .compose(reopened -> reopened.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000)
              .compose(ci -> reopened.claim("audit", "node-a", 10, Long.MAX_VALUE, true, 60_000).map(audit -> List.of(ci, audit)))
              .eventually(reopened::close))
            .map(claimed -> {
              context.verify(() -> {
                for (List<ClaimedDelivery> backend : claimed) {
                  assertEquals(1, backend.size());
                  assertEquals(before.id(), backend.get(0).messageId());
                  assertEquals("before", backend.get(0).body().toString());
                }
              });
              return null;
            });
        }))
      .onComplete(context.succeedingThenComplete());
  }
}
