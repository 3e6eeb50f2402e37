package io.hookcast.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** The built fat jar running as a real JVM process, with its combined output captured. Always {@link #close()} it. */
public final class HookcastProcess implements AutoCloseable {

  public static final Path JAR = Path.of("target", "hookcast.jar");
  /** Linux's default ip_local_port_range starts at 32768. */
  private static final int FIRST_PORT = 20_000;
  private static final int PORTS = 12_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private final Process process;
  /**
   * Vert.x's file cache for this process only: Vert.x deletes its cache directory on an orderly exit, not when a test
   * kills the process, so each process gets one that {@link #close()} removes either way.
   */
  private final Path cacheDir;
  private final StringBuffer output = new StringBuffer();
  private final List<Waiter> waiters = new ArrayList<>();

  private record Waiter(Predicate<String> line, CountDownLatch seen) {
  }

  private HookcastProcess(Process process, Path cacheDir) {
    this.process = process;
    this.cacheDir = cacheDir;
    Thread reader = new Thread(this::pump, "hookcast-process-output-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  public static HookcastProcess start(String... args) {
    return start(Map.of(), args);
  }

  /** Starts the jar with {@code environment} added to this JVM's environment. */
  public static HookcastProcess start(Map<String, String> environment, String... args) {
    return launch(List.of(), environment, List.of("-jar", JAR.toString()), args);
  }

  /** Starts the jar as the last arguments of {@code wrapper}, a command that runs another (e.g. one that confines it). */
  public static HookcastProcess startUnder(List<String> wrapper, Map<String, String> environment, String... args) {
    return launch(wrapper, environment, List.of("-jar", JAR.toString()), args);
  }

  /** Starts the jar through {@code bin/hookcast}, the launcher script, with {@code environment} added. */
  public static HookcastProcess startWithLauncherScript(Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of("bin", "hookcast").toString());
    command.addAll(List.of(args));
    try {
      Path cacheDir = Files.createTempDirectory("hookcast-process-");
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      // The java launcher adds these to the script's own flags.
      builder.environment().put("JDK_JAVA_OPTIONS", String.join(" ", temporaryFilesIn(cacheDir)));
      builder.environment().putAll(environment);
      return new HookcastProcess(builder.start(), cacheDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the jar's node through Vert.x's own launcher, the Vert.x 5 form of {@code vertx run}, bypassing Hookcast's Main. */
  public static HookcastProcess startWithStockLauncher(String... args) {
    return startWithStockLauncher(Map.of(), args);
  }

  /** As {@link #startWithStockLauncher(String...)}, with {@code environment} added to this JVM's environment. */
  public static HookcastProcess startWithStockLauncher(Map<String, String> environment, String... args) {
    return launch(List.of(), environment, List.of("-cp", JAR.toString(), "io.vertx.launcher.application.VertxApplication", "io.hookcast.HookcastVerticle"),
      args);
  }

  private static HookcastProcess launch(List<String> wrapper, Map<String, String> environment, List<String> entry, String... args) {
    try {
      Path cacheDir = Files.createTempDirectory("hookcast-process-");
      List<String> command = new ArrayList<>(wrapper);
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.addAll(temporaryFilesIn(cacheDir));
      command.addAll(entry);
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      return new HookcastProcess(builder.start(), cacheDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The process's temporary files in {@code dir}, which the test deletes: Vert.x's cache, and the SQLite library
   * sqlite-jdbc extracts at each start, which a killed process would otherwise leave in the system's temp directory.
   */
  private static List<String> temporaryFilesIn(Path dir) {
    return List.of("-Dvertx.cacheDirBase=" + dir.resolve("vertx-cache"), "-Dorg.sqlite.tmpdir=" + dir);
  }

  /** Waits until a line containing {@code text} was printed; fails with the output so far if it was not. */
  public void awaitLine(String text, long timeout, TimeUnit unit) throws InterruptedException {
    CountDownLatch seen = new CountDownLatch(1);
    synchronized (waiters) {
      if (output.toString().contains(text)) {
        return;
      }
      waiters.add(new Waiter(line -> line.contains(text), seen));
    }
    if (!seen.await(timeout, unit)) {
      throw new AssertionError("no line with '" + text + "' within " + timeout + " " + unit
        + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")") + "; output:\n" + output);
    }
  }

  /** Waits for the process to exit and returns its exit code; fails if it did not. */
  public int awaitExit(long timeout, TimeUnit unit) throws InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      throw new AssertionError("still running after " + timeout + " " + unit + "; output:\n" + output);
    }
    return process.exitValue();
  }

  /** SIGKILL: the node vanishes without a goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    deleteCacheDir();
  }

  /**
   * SIGTERM, as docker stop and systemd send. Through the process handle: {@link Process#destroy()} also closes
   * our ends of the process's streams, which would lose what it prints while shutting down.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  public String output() {
    return output.toString();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    deleteCacheDir();
  }

  private void deleteCacheDir() {
    if (!Files.exists(cacheDir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(cacheDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A loopback port nothing listens on, for a process or a server to take later. Below the kernel's range for the
   * ports of outgoing connections and of servers bound to port 0 (ip_local_port_range), which the tests' own clients
   * and servers take all the time: one of them could take a port from that range between this call and the bind. No
   * port is handed out twice by one test JVM.
   */
  public static int freePort() {
    synchronized (HANDED_OUT) {
      for (int tries = 0; tries < 1_000; tries++) {
        int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(PORTS);
        if (!HANDED_OUT.contains(port) && bindable(port)) {
          HANDED_OUT.add(port);
          return port;
        }
      }
    }
    throw new IllegalStateException("no free loopback port in " + FIRST_PORT + ".." + (FIRST_PORT + PORTS - 1));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void pump() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (waiters) {
          output.append(line).append('\n');
          for (Waiter waiter : waiters) {
            if (waiter.line().test(line)) {
              waiter.seen().countDown();
            }
          }
        }
      }
    } catch (IOException ignored) {
      // The process ended; what it printed is in output.
    }
  }
}
