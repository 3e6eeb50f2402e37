package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Opens the configured database: creates the embedded store's directory, migrates the schema with Flyway (blocking
 * JDBC, so on a worker thread), then builds the Vert.x SQL client pool. Every failure names the config key.
 */
final class StoreConnection {

  /**
   * H2 delays writing a commit to its file by 500 ms by default, which a kill -9 would lose; 0 writes the file at
   * every commit (still without fsync, which H2 never does per commit). LOCK_TIMEOUT outlasts a slow batch.
   * DB_CLOSE_ON_EXIT=FALSE leaves closing to Hookcast, so a draining shutdown can still record results.
   */
  static final String H2_SETTINGS = ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE";
  private static final String H2_USER = "hookcast";

  record Opened(Pool pool, Dialect dialect, String description) {
  }

  private StoreConnection() {
  }

  static Future<Opened> open(Vertx vertx, StoreConfig config) {
    return config.embedded() ? openEmbedded(vertx, config) : openPostgres(vertx, config);
  }

  /**
   * The store holds every webhook's headers and body, credentials included: other local users must not read it,
   * whatever the process's umask. The files H2 creates later inherit the directory's protection.
   */
  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

  private static void ownerOnly(Path path, Set<PosixFilePermission> permissions) throws java.io.IOException {
    if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  private static Future<Opened> openEmbedded(Vertx vertx, StoreConfig config) {
    Path dir = config.path().toAbsolutePath();
    String jdbcUrl = "jdbc:h2:file:" + dir.resolve("hookcast") + H2_SETTINGS;
    return vertx.executeBlocking(() -> {
        try {
          Files.createDirectories(dir);
          ownerOnly(dir, OWNER_ONLY_DIRECTORY);
          if (!Files.isWritable(dir)) {
            throw new StoreOpenException("store.path '" + config.path() + "': the directory is not writable", null);
          }
        } catch (FileAlreadyExistsException e) {
          // The operator's fix is another path, not permissions: say so rather than print the exception.
          throw new StoreOpenException("store.path '" + config.path() + "': not a directory (" + e.getFile() + " is a file)", e);
        } catch (java.io.IOException e) {
          throw new StoreOpenException("store.path '" + config.path() + "': cannot create the directory: " + e, e);
        }
        migrate(jdbcUrl, H2_USER, "", "store.path '" + config.path() + "'");
        try (var files = Files.list(dir)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            ownerOnly(file, OWNER_ONLY_FILE);
          }
        } catch (java.io.IOException e) {
          throw new StoreOpenException("store.path '" + config.path() + "': cannot make its files readable by the owner only: " + e, e);
        }
        return null;
      }, false)
      .map(v -> {
        JDBCConnectOptions connect = new JDBCConnectOptions().setJdbcUrl(jdbcUrl).setUser(H2_USER).setPassword("");
        Pool pool = JDBCPool.pool(vertx, connect, new PoolOptions().setMaxSize(4).setName("hookcast-store"));
        return new Opened(pool, Dialect.H2, "embedded store in " + dir);
      });
  }

  private static Future<Opened> openPostgres(Vertx vertx, StoreConfig config) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(config.url());
    } catch (RuntimeException e) {
      return Future.failedFuture(new StoreOpenException("store.url '" + config.url()
        + "' is not a PostgreSQL URL (postgresql://host:port/database)", e));
    }
    if (config.user() != null) {
      connect.setUser(config.user());
    }
    if (config.password() != null) {
      connect.setPassword(config.password());
    }
    connect.setCachePreparedStatements(true).setPipeliningLimit(256);
    // Named without the URL's credentials, which may be in it.
    String where = "store.url postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase()
      + " (user " + connect.getUser() + ")";
    String jdbcUrl = "jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase();
    PgConnectOptions options = connect;
    return vertx.executeBlocking(() -> {
        migrate(jdbcUrl, options.getUser(), options.getPassword(), where);
        return null;
      }, false)
      .map(v -> {
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8).setName("hookcast-store"))
          .connectingTo(options).using(vertx).build();
        return new Opened(pool, Dialect.POSTGRESQL, "PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/"
          + options.getDatabase());
      });
  }

  private static void migrate(String jdbcUrl, String user, String password, String where) {
    try {
      Flyway.configure(StoreConnection.class.getClassLoader())
        .dataSource(jdbcUrl, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    } catch (RuntimeException e) {
      throw new StoreOpenException(where + ": cannot open and migrate the store: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
