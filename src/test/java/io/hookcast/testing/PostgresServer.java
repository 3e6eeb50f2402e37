package io.hookcast.testing;

import io.hookcast.config.StoreConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link Postgres} server for a test class, registered as {@code @RegisterExtension static final PostgresServer
 * postgres = new PostgresServer();}: started before the class's first test and stopped after its last. The callbacks
 * also run for each {@code @Nested} class; only the class that started the server stops it.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

  private Postgres server;
  private String startedBy;

  @Override
  public void beforeAll(ExtensionContext context) {
    if (server == null) {
      server = Postgres.start();
      startedBy = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (context.getUniqueId().equals(startedBy)) {
      server.stop();
      server = null;
    }
  }

  public int port() {
    return server.port();
  }

  /** A new empty database, as a store configuration. */
  public StoreConfig freshDatabase() {
    return server.freshDatabase();
  }
}
