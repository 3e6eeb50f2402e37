package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.PostgresServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's operations on a real PostgreSQL server, one server for all of them, a fresh database per test. */
class PostgresOperationsTest {

  @RegisterExtension
  static final PostgresServer postgres = new PostgresServer();

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
