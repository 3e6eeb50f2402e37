import io.hookcast.config.StoreConfig;
import io.hookcast.store.StoreMetrics;
import io.hookcast.store.NewMessage;
import io.hookcast.store.SqlDeliveryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * accept() throughput and latency of the durable store, without HTTP: `clients` callers each keep one accept in
 * flight (a closed loop, as 64 sender connections would), 1 KiB bodies, two backends, unique sender ids (dedup on).
 * Usage: StoreBench embedded|postgres [clients=64] [seconds=10] [dedup=on|off]
 */
public final class StoreBench {

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "embedded";
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    boolean dedup = args.length <= 3 || !args[3].equals("off");
    Path dir = Files.createTempDirectory("hookcast-store-bench");
    EmbeddedPostgres postgres = null;
    StoreConfig config;
    if (kind.equals("postgres")) {
      postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
      config = new StoreConfig(null, "postgresql://127.0.0.1:" + postgres.getPort() + "/postgres", "postgres", null, 168, 5_000);
    } else {
      config = new StoreConfig(dir.resolve("data"), null, null, null, 168, 5_000);
    }
    Vertx vertx = Vertx.vertx();
    SqlDeliveryStore store = SqlDeliveryStore.open(vertx, config, new StoreMetrics(new SimpleMeterRegistry()))
      .await();
    Buffer body = Buffer.buffer(new byte[1024]);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
      .add("X-GitHub-Event", "push").add("User-Agent", "GitHub-Hookshot/abc");

    run(vertx, store, clients, 3, dedup, body, headers);  // warm-up, unmeasured
    long[] latencies = run(vertx, store, clients, seconds, dedup, body, headers);
    Arrays.sort(latencies);
    System.out.printf("store=%s clients=%d dedup=%s: %d accepted in %d s = %.0f accepted/s; accept latency p50 %.1f ms,"
        + " p99 %.1f ms, max %.1f ms%n", kind, clients, dedup ? "on" : "off", latencies.length, seconds,
      latencies.length / (double) seconds, pct(latencies, 0.50), pct(latencies, 0.99), latencies[latencies.length - 1] / 1e6);

    store.close().await();
    vertx.close().await();
    if (postgres != null) {
      postgres.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private static long[] run(Vertx vertx, SqlDeliveryStore store, int clients, int seconds, boolean dedup, Buffer body,
                            MultiMap headers) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    long[][] perClient = new long[clients][];
    int[] counts = new int[clients];
    AtomicLong failures = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    for (int c = 0; c < clients; c++) {
      int client = c;
      perClient[c] = new long[1 << 16];
      vertx.runOnContext(v -> next(store, client, perClient, counts, stop, failures, done, dedup, body, headers));
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    done.await();
    if (failures.get() > 0) {
      System.out.println("failed accepts: " + failures.get());
    }
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(perClient[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    return all;
  }

  private static void next(SqlDeliveryStore store, int client, long[][] latencies, int[] counts, AtomicBoolean stop,
                           AtomicLong failures, CountDownLatch done, boolean dedup, Buffer body, MultiMap headers) {
    if (stop.get()) {
      done.countDown();
      return;
    }
    Instant now = Instant.now();
    NewMessage message = new NewMessage("/github", "POST", "/github", headers, body, List.of("ci", "audit"),
      dedup ? UUID.randomUUID().toString() : null, now.minus(Duration.ofHours(24)), now, null, null);
    long start = System.nanoTime();
    store.accept(message).onComplete(ar -> {
      if (ar.succeeded()) {
        if (counts[client] == latencies[client].length) {
          latencies[client] = Arrays.copyOf(latencies[client], counts[client] * 2);
        }
        latencies[client][counts[client]++] = System.nanoTime() - start;
      } else {
        failures.incrementAndGet();
      }
      next(store, client, latencies, counts, stop, failures, done, dedup, body, headers);
    });
  }

  private static double pct(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
  }
}
