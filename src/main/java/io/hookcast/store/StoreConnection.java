package io.hookcast.store;

import io.hookcast.config.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCConnectOptions;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Opens the configured database: creates the embedded store's directory, migrates the schema with Flyway (blocking
 * JDBC, so on a worker thread), then builds the Vert.x SQL client pool. Every failure names the config key.
 */
final class StoreConnection {

  /**
   * SQLite in write-ahead-log mode: readers (the operator API) never wait for the writer. synchronous=FULL syncs the
   * log at every commit, so a 202 survives a power cut, not only a killed process. SQLite does not enforce foreign
   * keys unless asked.
   */
  static final String SQLITE_SETTINGS = "?journal_mode=WAL&synchronous=FULL&busy_timeout=10000&foreign_keys=true";
  /** Read-only (SQLITE_OPEN_READONLY): the log mode is the database file's, set by the writer. */
  static final String SQLITE_READER_SETTINGS = "?open_mode=1&busy_timeout=10000";
  /** Readers: two backends' claims and the backlog gauges may run at once. */
  private static final int SQLITE_READERS = 4;
  /**
   * An operator's reads (the API's pages, the activity chart, a bulk retry's search) have connections of their own,
   * this many: on a large store they may scan, and a dashboard polls them again while they do. Sharing the
   * deliveries' connections, a few such scans stalled every lane's claims, and on PostgreSQL every accept too.
   */
  private static final int OPERATOR_CONNECTIONS = 2;
  /** The schema both stores share: only types and clauses both understand. */
  private static final String COMMON_MIGRATIONS = "classpath:db/migration";
  /**
   * What only PostgreSQL needs, numbered among the shared ones: SQLite ignores a column's declared length, so only
   * PostgreSQL has lengths to lift.
   */
  private static final String POSTGRESQL_MIGRATIONS = "classpath:db/postgresql";
  static final String DATABASE_FILE = "hookcast.db";
  /** What an earlier Hookcast's embedded store (H2) left in store.path. */
  private static final String EARLIER_STORE_FILE = "hookcast.mv.db";

  /**
   * @param pool    for writes, and reads that must see them within the same transaction
   * @param reads   for reads alone: the embedded store's claims and the backlog gauges (the same pool on PostgreSQL)
   * @param operatorReads for an operator's reads, which wait for a connection and run no longer than
   *                {@link DeliveryOperations#ANSWER_MS}
   * @param checkpoints the embedded store's log copier, null on PostgreSQL
   * @param release lets go of what the open holds besides the pools (the embedded store's lock file)
   */
  record Opened(Pool pool, Pool reads, Pool operatorReads, Dialect dialect, String description, WalCheckpoints checkpoints,
                Runnable release) {
  }

  private StoreConnection() {
  }

  static Future<Opened> open(Vertx vertx, StoreConfig config) {
    return config.embedded() ? openEmbedded(vertx, config) : openPostgres(vertx, config);
  }

  /**
   * The store holds every webhook's headers and body, credentials included: other local users must not read it,
   * whatever the process's umask. The files SQLite creates later (its log) inherit the directory's protection.
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
    String jdbcUrl = "jdbc:sqlite:" + dir.resolve(DATABASE_FILE) + SQLITE_SETTINGS;
    String key = "store.path '" + config.path() + "'";
    return vertx.executeBlocking(() -> {
        try {
          Files.createDirectories(dir);
          ownerOnly(dir, OWNER_ONLY_DIRECTORY);
          if (!Files.isWritable(dir)) {
            throw new StoreOpenException(key + ": the directory is not writable", null);
          }
        } catch (FileAlreadyExistsException e) {
          // The operator's fix is another path, not permissions: say so rather than print the exception.
          throw new StoreOpenException(key + ": not a directory (" + e.getFile() + " is a file)", e);
        } catch (java.io.IOException e) {
          throw new StoreOpenException(key + ": cannot create the directory: " + e, e);
        }
        if (Files.exists(dir.resolve(EARLIER_STORE_FILE))) {
          // Its deliveries would be silently left behind: the operator decides what becomes of them.
          throw new StoreOpenException(key + ": holds an H2 store of an earlier Hookcast (" + EARLIER_STORE_FILE
            + "); let that version deliver what it holds, then move the file away, or point store.path elsewhere", null);
        }
        DirectoryLock lock = DirectoryLock.take(dir, key);
        try {
          migrate(jdbcUrl, null, null, key, COMMON_MIGRATIONS);
          try (var files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
              ownerOnly(file, OWNER_ONLY_FILE);
            }
          } catch (java.io.IOException e) {
            throw new StoreOpenException(key + ": cannot make its files readable by the owner only: " + e, e);
          }
        } catch (RuntimeException e) {
          lock.close();
          throw e;
        }
        return lock;
      }, false)
      .compose(lock -> {
        // Every id is Hookcast's own: asking the driver for generated keys made each statement decode a result set
        // of them, for nothing.
        JDBCConnectOptions connect = new JDBCConnectOptions().setJdbcUrl(jdbcUrl).setAutoGeneratedKeys(false);
        // One connection: SQLite writes one transaction at a time anyway, and with several connections a transaction
        // that read and then wrote failed whenever another had written meanwhile (SQLITE_BUSY_SNAPSHOT). It also makes
        // leases taken one after the other, which is what lets claims go without row locks (see Dialect.SQLITE).
        Pool pool = JDBCPool.pool(vertx, connect, new PoolOptions().setMaxSize(1).setName("hookcast-store"));
        // Reads that scan (a claim's due deliveries, a backlog's count, an operator's page, the activity chart) run
        // beside the writer: in WAL mode a reader never waits for it nor holds it up. On the writer's one connection,
        // every accept would wait behind the backlog gauge's count while a large backlog is delivered.
        JDBCConnectOptions reader = new JDBCConnectOptions()
          .setJdbcUrl("jdbc:sqlite:" + dir.resolve(DATABASE_FILE) + SQLITE_READER_SETTINGS).setAutoGeneratedKeys(false);
        Pool reads = JDBCPool.pool(vertx, reader, new PoolOptions().setMaxSize(SQLITE_READERS).setName("hookcast-store-reads"));
        // A scan runs to its end on its worker thread: its answer's bound frees no connection, so the waits are bounded.
        Pool operatorReads = JDBCPool.pool(vertx, reader, operatorPool());
        Opened opened = new Opened(pool, reads, operatorReads, Dialect.SQLITE, "embedded store in " + dir,
          WalCheckpoints.start(vertx, jdbcUrl, key), lock::close);
        return pool.query(WalCheckpoints.WRITER_SETTING).execute()
          .<Opened>map(rows -> opened)
          .recover(e -> Future.join(opened.checkpoints().stop(), pool.close(), reads.close(), operatorReads.close())
            .eventually(() -> {
              lock.close();
              return Future.succeededFuture();
            })
            .transform(v -> Future.failedFuture(new StoreOpenException(key + ": the database does not answer: " + e, e))));
      });
  }

  private static Future<Opened> openPostgres(Vertx vertx, StoreConfig config) {
    PgConnectOptions connect;
    try {
      connect = PgConnectOptions.fromUri(config.url());
    } catch (RuntimeException e) {
      return Future.failedFuture(new StoreOpenException("store.url '" + config.urlWithoutPassword()
        + "' is not a PostgreSQL URL (postgresql://host:port/database; characters such as / @ : + in a user or password"
        + " percent-encoded, or given as store.user and store.password)", e));
    }
    if (config.user() != null) {
      connect.setUser(config.user());
    }
    if (config.password() != null) {
      connect.setPassword(config.password());
    }
    // A 202 promises the webhook is stored: every commit waits for the server's WAL to be flushed, whatever the
    // server's own synchronous_commit (a startup parameter applies to this connection's sessions only).
    connect.setCachePreparedStatements(true).setPipeliningLimit(256).addProperty("synchronous_commit", "on");
    // The server ends, at the bound after which StorePool closes a connection, what it would otherwise go on with
    // after the close, holding its locks: a statement still running, a transaction whose client fell silent.
    long hangMs = StorePool.hangMs(config);
    connect.addProperty("statement_timeout", String.valueOf(hangMs))
      .addProperty("idle_in_transaction_session_timeout", String.valueOf(hangMs));
    // Named without the URL's credentials, which may be in it.
    String where = "store.url postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase()
      + " (user " + connect.getUser() + ")";
    // A server that takes the connection and never answers fails the login within the bound, instead of leaving the
    // start to hang; a migration that runs long (an upgrade of a large store) is left to finish.
    String jdbcUrl = "jdbc:postgresql://" + connect.getHost() + ":" + connect.getPort() + "/" + connect.getDatabase()
      + "?loginTimeout=" + TimeUnit.MILLISECONDS.toSeconds(hangMs + 999);
    PgConnectOptions options = connect;
    return vertx.executeBlocking(() -> {
        migrate(jdbcUrl, options.getUser(), options.getPassword(), where, COMMON_MIGRATIONS, POSTGRESQL_MIGRATIONS);
        return null;
      }, false)
      .map(v -> {
        // Waiting for a connection is bounded as the work on one is.
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(8).setName("hookcast-store")
            .setConnectionTimeout((int) hangMs).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
          .connectingTo(options).using(vertx).build();
        // The server ends an operator's query at the bound its answer waits for, freeing the connection.
        Pool operatorReads = PgBuilder.pool().with(operatorPool()).connectingTo(new PgConnectOptions(options)
            .addProperty("statement_timeout", String.valueOf(DeliveryOperations.ANSWER_MS))).using(vertx).build();
        return new Opened(pool, pool, operatorReads, Dialect.POSTGRESQL, "PostgreSQL at " + options.getHost() + ":"
          + options.getPort() + "/" + options.getDatabase(), null, () -> { });
      });
  }

  private static PoolOptions operatorPool() {
    return new PoolOptions().setMaxSize(OPERATOR_CONNECTIONS).setName("hookcast-store-operator")
      .setConnectionTimeout((int) DeliveryOperations.ANSWER_MS).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  private static void migrate(String jdbcUrl, String user, String password, String where, String... locations) {
    try {
      Flyway.configure(StoreConnection.class.getClassLoader())
        .dataSource(jdbcUrl, user, password)
        .locations(locations)
        .load()
        .migrate();
    } catch (RuntimeException e) {
      if (unreachable(e)) {
        throw new StoreOpenException(where + ": cannot reach the server: " + rootMessage(e), e, true);
      }
      throw new StoreOpenException(where + ": cannot open and migrate the store: " + rootMessage(e), e);
    }
  }

  /**
   * Whether the server could not be reached or will not take a connection yet: one that could not be made or was
   * lost (SQLState class 08, or the socket's own exception), a server starting up or shutting down (57P03), one out
   * of connections (class 53), a migration's table lock held by another transaction past its bound (55P03). A server that refuses the login, has no such database, or is not PostgreSQL at all
   * (08004, 08P01) is a setting to fix. Told by SQLState, as JDBC and the Vert.x client report it, never by message.
   */
  static boolean unreachable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      String state = cause instanceof SQLException sql ? sql.getSQLState()
        : cause instanceof DatabaseException database ? database.getSqlState() : null;
      if (state != null) {
        return (state.startsWith("08") && !state.equals("08004") && !state.equals("08P01")) || state.equals("57P03")
          || state.startsWith("53") || state.equals("55P03");
      }
      if (cause instanceof ConnectException || cause instanceof SocketTimeoutException || cause instanceof NoRouteToHostException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
