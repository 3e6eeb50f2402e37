package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.hookcast.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresMessageBrowsingTest extends MessageBrowsingTest {

  private static Postgres postgres;

  @BeforeAll
  static void startPostgres() {
    postgres = Postgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    postgres.stop();
  }

  @Override
  StoreConfig freshStore() {
    return postgres.freshDatabase();
  }
}
