package io.hookcast.store;

import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded store on a disk that fills up: webhooks to an async route are answered 503 with Retry-After while it is
 * full, a log line says why, and once space is back they are accepted again without a restart; every webhook answered
 * 202 is delivered. The disk is a small tmpfs mounted over the store's directory in a mount namespace of the Hookcast
 * process's own ({@code unshare}), filled and freed through {@code /proc/<pid>/root}.
 */
class DiskFullIT {

  private static final int DISK_MIB = 16;
  private static final int BODY_BYTES = 64 * 1024;

  private final Vertx vertx = Vertx.vertx();
  private final WebClient client = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(4));
  private HookcastProcess hookcast;
  private Process disk;
  private int port;

  @AfterEach
  void stop() throws Exception {
    if (hookcast != null) {
      hookcast.close();
    }
    if (disk != null) {
      disk.destroy();
      disk.waitFor(10, TimeUnit.SECONDS);
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFullDiskIsAnswered503AndLoggedAndAcceptingResumesWithoutARestartOnceSpaceIsBack(@TempDir Path dir) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
    Path data = Files.createDirectory(dir.resolve("data"));
    port = HookcastProcess.freePort();
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(Configs.backend("ci", backend.url(), 2_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("routes", AsyncWebhooks.asyncRoute("/github", "ci"))
      .put("store", new JsonObject().put("path", data.toString()))
      .encodePrettily());
    hookcast = HookcastProcess.startUnder(List.of("unshare", "-Urm", "sh", "-c",
      "mount -t tmpfs -o size=" + DISK_MIB + "m tmpfs \"$0\" && exec \"$@\"", data.toString()), Map.of(),
      "-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", 90, TimeUnit.SECONDS);
    Path disk = Path.of("/proc", String.valueOf(hookcast.pid()), "root").resolve(data.toString().substring(1));
    assertTrue(Files.exists(disk.resolve("hookcast.db")), "the store is not on the mounted disk");

    List<String> accepted = new ArrayList<>();
    assertEquals(202, send(accepted).statusCode());

    Path filler = disk.resolve("filler");
    fill(filler);
    HttpResponse<Buffer> refused = null;
    for (int i = 0; i < 200 && refused == null; i++) {
      HttpResponse<Buffer> response = send(accepted);
      if (response.statusCode() != 202) {
        refused = response;
      }
    }
    assertNotNull(refused, "still 202 after 200 webhooks on a full disk");
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertNotNull(refused.getHeader("Retry-After"));
    hookcast.awaitLine("the disk is full", 10, TimeUnit.SECONDS);

    Files.delete(filler);
    Eventually.until(Duration.ofSeconds(20), () -> send(accepted).statusCode() == 202, () -> "still refused after space came back; output:\n" + hookcast.output());
    for (int i = 0; i < 10; i++) {
      assertEquals(202, send(accepted).statusCode());
    }
    Eventually.until(Duration.ofSeconds(60), () -> AsyncWebhooks.receivedAll(backend, accepted),
      () -> AsyncWebhooks.missing(backend, accepted));
  }

  /**
   * A node killed, whose disk is then full, starts again on it (it refused to, as if its configuration were wrong), and once
   * space is back delivers every webhook answered 202 before the kill, those under way at the kill included. The disk
   * outlives the node here: its mount namespace is held by a process of its own, which each node enters.
   */
  @Test
  void aNodeKilledOnAFullDiskStartsAgainOnItAndDeliversEverythingOnceSpaceIsBack(@TempDir Path dir) throws Exception {
    // Until the kill, the backend takes each webhook and never answers: its deliveries are under way at the kill. One
    // server throughout: closing it and listening again on its port could find the port not yet free.
    AtomicBoolean answering = new AtomicBoolean();
    RecordingBackend backend = RecordingBackend.start(vertx, (request, body) -> {
      if (answering.get()) {
        request.response().end("ok");
      }
    }).await(10, TimeUnit.SECONDS);
    int backendPort = backend.port();
    Path data = Files.createDirectory(dir.resolve("data"));
    port = HookcastProcess.freePort();
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(Configs.backend("ci",
        "http://127.0.0.1:" + backendPort + "/", 5_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("routes", AsyncWebhooks.asyncRoute("/github", "ci"))
      .put("store", new JsonObject().put("path", data.toString()).put("timeoutMs", 1_000))
      .put("delivery", new JsonObject().put("async", new JsonObject().put("leaseMs", 1_000)))
      .encodePrettily());
    disk = new ProcessBuilder("unshare", "-Urm", "sh", "-c", "mount -t tmpfs -o size=" + DISK_MIB + "m tmpfs \"$0\" && echo mounted"
      + " && exec sleep 600", data.toString()).redirectErrorStream(true).start();
    assertEquals("mounted", new BufferedReader(new InputStreamReader(disk.getInputStream(), StandardCharsets.UTF_8)).readLine());
    // Entering a mount namespace moves to its root directory; the jar is found from this one.
    List<String> onTheDisk = List.of("nsenter", "--preserve-credentials", "-U", "-m", "-t", String.valueOf(disk.pid()),
      "--wd=" + Path.of("").toAbsolutePath());
    hookcast = HookcastProcess.startUnder(onTheDisk, Map.of(), "-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", 90, TimeUnit.SECONDS);
    Path root = Path.of("/proc", String.valueOf(disk.pid()), "root").resolve(data.toString().substring(1));
    assertTrue(Files.exists(root.resolve("hookcast.db")), "the store is not on the mounted disk");

    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      assertEquals(202, send(accepted).statusCode());
    }
    hookcast.kill();
    // Its log copied into the database and removed, so that the next write must grow a file: a log with room left in
    // it would take a small write on a full disk.
    try (Connection store = DriverManager.getConnection("jdbc:sqlite:" + root.resolve("hookcast.db"));
         java.sql.Statement sql = store.createStatement()) {
      sql.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    fill(root.resolve("filler"));
    int beforeRestart = backend.received().size();
    answering.set(true);

    hookcast = HookcastProcess.startUnder(onTheDisk, Map.of(), "-conf", config.toString());
    // It starts either way: the write that makes the killed node's leases due at once may find the disk full (it
    // then says so and goes on) or a page the file system still had; which one is not up to the test.
    hookcast.awaitLine("Succeeded in deploying verticle", 90, TimeUnit.SECONDS);
    Files.delete(root.resolve("filler"));
    Eventually.until(Duration.ofSeconds(60), () -> deliveredSince(backend, beforeRestart).containsAll(accepted),
      () -> accepted.stream().filter(id -> !deliveredSince(backend, beforeRestart).contains(id)).count() + " of "
        + accepted.size() + " not delivered after the restart; output:\n" + hookcast.output());
  }

  /** The message ids {@code backend} received after its first {@code skipped} requests. */
  private static Set<String> deliveredSince(RecordingBackend backend, int skipped) {
    return backend.received().stream().skip(skipped).map(received -> received.headers().get("X-Hookcast-Message-Id"))
      .filter(Objects::nonNull).collect(Collectors.toSet());
  }

  private HttpResponse<Buffer> send(List<String> accepted) {
    HttpResponse<Buffer> response;
    try {
      response = client.post(port, "127.0.0.1", "/github/push").sendBuffer(Buffer.buffer(new byte[BODY_BYTES]))
        .await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 30 s; output:\n" + hookcast.output(), e);
    }
    if (response.statusCode() == 202) {
      accepted.add(response.getHeader("X-Hookcast-Message-Id"));
    }
    return response;
  }

  /** Writes until the disk refuses even a page: what is left after large writes would still take a few small ones. */
  private static void fill(Path filler) throws IOException {
    OutputStream out = Files.newOutputStream(filler);
    try (out) {
      for (int chunk : new int[] {256 * 1024, 4 * 1024}) {
        try {
          while (true) {
            out.write(new byte[chunk]);
            out.flush();
          }
        } catch (IOException full) {
          // No space left on the device for this much: what this wanted.
        }
      }
    } catch (IOException closing) {
      // Closing writes nothing more on a full disk; what was written stays.
    }
    assertTrue(Files.size(filler) > 0, "nothing written to " + filler);
  }
}
