package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** The operator's operations on a real PostgreSQL server, one server for all of them, a fresh database per test. */
class PostgresOperationsTest {

  private static Postgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = Postgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.stop();
  }

  @Nested
  class Browsing extends MessageBrowsingTest {
    @Override
    StoreConfig freshStore() {
      return postgres.freshDatabase();
    }
  }

  @Nested
  class ManualRetries extends ManualRetryTest {
    @Override
    StoreConfig freshStore() {
      return postgres.freshDatabase();
    }
  }

  @Nested
  class Activity extends AttemptActivityTest {
    @Override
    StoreConfig freshStore() {
      return postgres.freshDatabase();
    }
  }
}
