package io.hookcast;

import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fault test: SIGTERM while webhooks are in progress, to the fat jar as a real process. */
class ShutdownIT {

  @Test
  void sigtermAnswersEveryAcceptedWebhookThenExits0(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = HookcastProcess.freePort();
    int adminPort = HookcastProcess.freePort();
    try {
      RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 1_200, 200, "slow").await(5, TimeUnit.SECONDS);
      Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("admin", new JsonObject().put("port", adminPort))
        .put("backends", new JsonArray().add(new JsonObject().put("name", "slow").put("url", slow.url()).put("timeoutMs", 5_000)))
        .encode());
      try (HookcastProcess hookcast = HookcastProcess.start("-conf", config.toString())) {
        hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
        // A new connection per webhook: each is either refused at connect (not accepted) or accepted and answered.
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false), new PoolOptions().setHttp1MaxSize(100));
        List<Future<String>> inProgress = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          inProgress.add(send(client, port, "before-" + i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (slow.received().size() < 20 && System.nanoTime() < deadline) {
          vertx.timer(10).await(5, TimeUnit.SECONDS);
        }
        assertEquals(20, slow.received().size(), "the first webhooks never reached the backend");
        hookcast.terminate();
        hookcast.awaitLine("SIGTERM", 10, TimeUnit.SECONDS);
        // Load balancers read readiness: it says the node is going as soon as it drains.
        HttpClient admin = vertx.createHttpClient();
        String ready = admin.request(HttpMethod.GET, adminPort, "127.0.0.1", "/ready")
          .compose(request -> request.send().compose(response -> response.body().map(body -> response.statusCode() + " " + body)))
          .await(5, TimeUnit.SECONDS);
        assertTrue(ready.startsWith("503 ") && ready.contains("draining"), ready);
        // While the slow deliveries are still running (they take 1.2 s; the 4 below are sent within 0.2 s), the node is draining.
        List<Future<String>> duringDrain = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          duringDrain.add(send(client, port, "during-" + i));
          vertx.timer(50).await(5, TimeUnit.SECONDS);
        }
        List<Future<String>> all = new ArrayList<>(inProgress);
        all.addAll(duringDrain);
        Future.join(all).otherwiseEmpty().await(30, TimeUnit.SECONDS);
        int exit = hookcast.awaitExit(30, TimeUnit.SECONDS);
        Future<String> afterExit = send(client, port, "after-exit");
        afterExit.otherwiseEmpty().await(10, TimeUnit.SECONDS);

        for (Future<String> webhook : inProgress) {
          assertEquals("200", webhook.result(), "a webhook in progress at SIGTERM: " + webhook.cause());
        }
        for (Future<String> webhook : duringDrain) {
          assertEquals("503", webhook.result(), "a webhook arriving while draining is refused with an answer: " + webhook.cause());
        }
        assertTrue(afterExit.cause() instanceof ConnectException, String.valueOf(afterExit.cause()));
        assertEquals(20, slow.received().size(), "only the accepted webhooks reached the backend");
        assertEquals(0, exit, hookcast.output());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A config file written during the drain (a deploy that writes it, then restarts the node) is left for the next
   * start: applied, it started forwarders while the drain and the close stopped the node's parts.
   */
  @Test
  void aConfigFileWrittenDuringTheDrainIsNotApplied(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = HookcastProcess.freePort();
    try {
      RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 2_000, 200, "slow").await(5, TimeUnit.SECONDS);
      JsonObject config = oneBackend(port, "slow", slow.url(), 5_000).put("reload", new JsonObject().put("scanPeriodMs", 100));
      Path file = Files.writeString(dir.resolve("hookcast.json"), config.encode());
      try (HookcastProcess hookcast = HookcastProcess.start("-conf", file.toString())) {
        hookcast.awaitLine("dashboard: ", 60, TimeUnit.SECONDS);
        HttpClient client = vertx.createHttpClient();
        Future<String> inProgress = send(client, port, "in-progress");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slow.received().isEmpty() && System.nanoTime() < deadline) {
          vertx.timer(10).await(5, TimeUnit.SECONDS);
        }
        hookcast.terminate();
        hookcast.awaitLine("SIGTERM", 10, TimeUnit.SECONDS);
        config.getJsonArray("backends").add(new JsonObject().put("name", "added").put("url", slow.url()));
        Files.writeString(file, config.encode());
        int exit = hookcast.awaitExit(30, TimeUnit.SECONDS);

        assertEquals("200", inProgress.await(10, TimeUnit.SECONDS));
        assertEquals(0, exit, hookcast.output());
        assertTrue(!hookcast.output().contains("configuration reload"), hookcast.output());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A body still arriving when the drain's bound runs out (its sender trickles it in within http.requestTimeoutMs) is
   * cut off: the log says so, and not that Vert.x failed to close, which it did not.
   */
  @Test
  void aDrainThatRunsOutIsLoggedAsSuchAndTheNodeStillExits0(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = HookcastProcess.freePort();
    try {
      RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
      Path config = Files.writeString(dir.resolve("hookcast.json"), oneBackend(port, "ok", backend.url(), 500).encode());
      try (HookcastProcess hookcast = HookcastProcess.start("-conf", config.toString())) {
        hookcast.awaitLine("dashboard: ", 60, TimeUnit.SECONDS);
        java.net.Socket sender = new java.net.Socket("127.0.0.1", port);
        java.io.OutputStream out = sender.getOutputStream();
        // Its 100 Continue says the node has taken the webhook in: a SIGTERM before that would find none in progress.
        out.write(("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.flush();
        sender.setSoTimeout(10_000);
        String interim = new String(sender.getInputStream().readNBytes("HTTP/1.1 100".length()),
          java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 100", interim, hookcast.output());
        out.write('x');
        out.flush();
        hookcast.terminate();
        hookcast.awaitLine("SIGTERM", 10, TimeUnit.SECONDS);
        // Within the bound of the drain (the backend's 500 ms, and its margin), and after it.
        for (int i = 0; i < 8; i++) {
          vertx.timer(400).await(5, TimeUnit.SECONDS);
          try {
            out.write('x');
            out.flush();
          } catch (java.io.IOException closed) {
            break;
          }
        }
        int exit = hookcast.awaitExit(30, TimeUnit.SECONDS);
        sender.close();

        assertEquals(0, exit, hookcast.output());
        assertTrue(hookcast.output().contains("SIGTERM: webhooks still in progress"), hookcast.output());
        assertTrue(!hookcast.output().contains("did not close"), hookcast.output());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * SIGTERM on a node with sync and async routes: while the ingress drains a slow sync webhook, no attempt of an
   * async delivery starts (the close would cut it off, and it would be made again after the restart); the one under
   * way at the signal ends.
   */
  @Test
  void whileASlowSyncWebhookDrainsNoAsyncAttemptStarts(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = HookcastProcess.freePort();
    try {
      RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 4_000, 200, "slow").await(5, TimeUnit.SECONDS);
      RecordingBackend audit = RecordingBackend.answeringAfter(vertx, 200, 200, "ok").await(5, TimeUnit.SECONDS);
      Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("admin", new JsonObject().put("port", 0))
        .put("backends", new JsonArray().add(Configs.backend("slow", slow.url(), 10_000))
          .add(Configs.backend("audit", audit.url()).put("maxInFlight", 1).put("maxQueued", 0)))
        .put("routes", new JsonArray().add(new JsonObject().put("path", "/sync").put("backends", new JsonArray().add("slow")))
          .add(AsyncWebhooks.asyncRoute("/async", "audit").getJsonObject(0)))
        .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
        .encode());
      try (HookcastProcess hookcast = HookcastProcess.start("-conf", config.toString())) {
        hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false), new PoolOptions().setHttp1MaxSize(10));
        for (int i = 0; i < 30; i++) {
          assertEquals("202", send(client, port, "/async", "async-" + i).await(10, TimeUnit.SECONDS));
        }
        Future<String> inProgress = send(client, port, "/sync", "sync");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slow.received().isEmpty() && System.nanoTime() < deadline) {
          vertx.timer(10).await(5, TimeUnit.SECONDS);
        }
        hookcast.terminate();
        hookcast.awaitLine("SIGTERM", 10, TimeUnit.SECONDS);
        int atTheSignal = audit.received().size();

        assertEquals("200", inProgress.await(10, TimeUnit.SECONDS), "the sync webhook in progress");
        assertEquals(0, hookcast.awaitExit(30, TimeUnit.SECONDS), hookcast.output());
        assertTrue(atTheSignal < 30, "every async webhook was delivered before the signal: it found nothing to hold back");
        // One attempt at a time (maxInFlight 1, maxQueued 0): the one under way at the signal may still arrive.
        assertTrue(audit.received().size() - atTheSignal <= 1, (audit.received().size() - atTheSignal)
          + " async attempts started in the 4 s drain of the sync webhook");
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * HTTP/2 forbids {@code Connection: close}: an answer that carried it while draining failed its stream, and the
   * sender of a webhook already delivered saw a broken connection and would send it again.
   */
  @Test
  void overHttp2SigtermAnswersTheWebhookInProgressAndANewOneWith503(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    int port = HookcastProcess.freePort();
    try {
      SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "node");
      RecordingBackend slow = RecordingBackend.answeringAfter(vertx, 1_200, 200, "slow").await(5, TimeUnit.SECONDS);
      Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("tls", new JsonObject()
          .put("certFile", certificate.certFile().toString()).put("keyFile", certificate.keyFile().toString())))
        .put("admin", new JsonObject().put("port", HookcastProcess.freePort()))
        .put("backends", new JsonArray().add(new JsonObject().put("name", "slow").put("url", slow.url()).put("timeoutMs", 5_000)))
        .encode());
      try (HookcastProcess hookcast = HookcastProcess.start("-conf", config.toString())) {
        hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
        // Told to go (GOAWAY) as the drain starts, a sender opens its next connection elsewhere (behind a load balancer
        // that reads /ready) rather than getting 503 after 503 on this one until the drain ends.
        AtomicLong goneAwayAt = new AtomicLong();
        HttpClient client = vertx.httpClientBuilder().with(new HttpClientOptions().setSsl(true).setUseAlpn(true)
            .setProtocolVersion(HttpVersion.HTTP_2).setTrustOptions(new PemTrustOptions().addCertPath(certificate.certFile().toString())))
          .withConnectHandler(connection -> connection.goAwayHandler(goAway -> goneAwayAt.compareAndSet(0, System.nanoTime())))
          .build();
        AtomicLong answeredAt = new AtomicLong();
        Future<String> inProgress = send(client, port, "before").onComplete(ar -> answeredAt.set(System.nanoTime()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (slow.received().isEmpty() && System.nanoTime() < deadline) {
          vertx.timer(10).await(5, TimeUnit.SECONDS);
        }
        assertEquals(1, slow.received().size(), "the webhook never reached the backend");
        hookcast.terminate();
        hookcast.awaitLine("SIGTERM", 10, TimeUnit.SECONDS);
        // Sent after the GOAWAY, on the new connection it makes the client open: one sent as it arrives is refused
        // by the client itself (a stream above the GOAWAY's last), which a client may retry on a new connection.
        long goAwayDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (goneAwayAt.get() == 0 && System.nanoTime() < goAwayDeadline) {
          vertx.timer(10).await(5, TimeUnit.SECONDS);
        }
        Future<String> duringDrain = send(client, port, "during");

        Future.join(inProgress, duringDrain).otherwiseEmpty().await(30, TimeUnit.SECONDS);
        int exit = hookcast.awaitExit(30, TimeUnit.SECONDS);
        assertEquals("200", inProgress.result(), "the webhook in progress at SIGTERM: " + inProgress.cause());
        assertEquals("503", duringDrain.result(), "a webhook arriving while draining: " + duringDrain.cause());
        assertTrue(goneAwayAt.get() != 0 && goneAwayAt.get() < answeredAt.get(), "no GOAWAY before the webhook in progress was answered");
        assertEquals(0, exit, hookcast.output());
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** A node on 127.0.0.1:{@code port}, its admin listener on a free port, with one backend. */
  private static JsonObject oneBackend(int port, String name, String url, long timeoutMs) {
    return new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", HookcastProcess.freePort()))
      .put("backends", new JsonArray().add(new JsonObject().put("name", name).put("url", url).put("timeoutMs", timeoutMs)));
  }

  private static Future<String> send(HttpClient client, int port, String body) {
    return send(client, port, "/", body);
  }

  /** The status alone when it is 2xx or the drain's 503, else with the answer's body. */
  private static Future<String> send(HttpClient client, int port, String path, String body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI(path))
      .compose(request -> request.send(Buffer.buffer(body)))
      .compose(response -> response.body().map(answer -> response.statusCode() < 300 || answer.toString().contains("shutting down")
        ? String.valueOf(response.statusCode()) : response.statusCode() + " " + answer));
  }
}
