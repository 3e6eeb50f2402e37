package io.hookcast.cluster;

import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One three-node cluster of real fat-jar processes on 127.0.0.1, taken through one scenario in order:
 * A is ingress-only, B and C are forwarder-only; B is killed and restarted, then both are killed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final long TIMEOUT_MS = 2_000;
  private static final long STARTUP_SECONDS = 90;
  /** Not UTF-8 from its first byte to its last (half a euro sign), so that a decoding anywhere on the way shows. */
  private static final Buffer BINARY = Buffer.buffer(new byte[] {(byte) 0xFF, 0x00, (byte) 0x80, 'o', 'k', (byte) 0xE9,
    (byte) 0xE2, (byte) 0x82});

  private final Vertx vertx = Vertx.vertx();
  /** Each checked free and handed out once, below the kernel's ephemeral range, as every other port of the suite. */
  private final List<Integer> clusterPorts = List.of(HookcastProcess.freePort(), HookcastProcess.freePort(),
    HookcastProcess.freePort());
  private final int httpPort = HookcastProcess.freePort();
  private RecordingBackend one;
  private RecordingBackend two;
  private RecordingBackend bytes;
  private WebClient client;
  private Path config;
  private HookcastProcess a;
  private HookcastProcess b;
  private HookcastProcess c;
  /** Each node's admin port, by node name: its metrics say how many deliveries its forwarders made. */
  private final Map<String, Integer> adminPorts = new ConcurrentHashMap<>();

  @BeforeAll
  void startCluster(@TempDir Path dir) throws Exception {
    one = RecordingBackend.answering(vertx, 200, "one").await(10, TimeUnit.SECONDS);
    two = RecordingBackend.answering(vertx, 200, "two").await(10, TimeUnit.SECONDS);
    bytes = RecordingBackend.start(vertx, (request, body) -> request.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream").end(BINARY)).await(10, TimeUnit.SECONDS);
    client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpPort),
      new PoolOptions().setHttp1MaxSize(16));
    config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort).put("accessLog", false))
      .put("admin", new JsonObject().put("port", 0))
      .put("delivery", new JsonObject().put("timeoutMs", TIMEOUT_MS))
      .put("backends", new JsonArray()
        .add(new JsonObject().put("name", "one").put("url", one.url()))
        .add(new JsonObject().put("name", "two").put("url", two.url()))
        .add(new JsonObject().put("name", "bytes").put("url", bytes.url())))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/binary").put("backends", new JsonArray().add("bytes")).put("answer", "primary")
          .put("primary", "bytes"))
        .add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("one").add("two"))))
      .encodePrettily());
    a = node("a", "ingress", 0);
    b = node("b", "forwarder", 1);
    c = node("c", "forwarder", 2);
    for (HookcastProcess node : List.of(a, b, c)) {
      node.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    }
    a.awaitLine("Members {size:3", STARTUP_SECONDS, TimeUnit.SECONDS);
  }

  @AfterAll
  void stopCluster() throws Exception {
    for (HookcastProcess node : new HookcastProcess[] {a, b, c}) {
      if (node != null) {
        node.close();
      }
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void forwardersOnBothNodesShareTheDeliveriesAndEachBackendGetsEachWebhookOnce() throws Exception {
    Map<String, Long> before = forwarded("b", "c");
    List<JsonObject> answers = send("share", 200);

    assertTrue(answers.stream().allMatch(answer -> answer.getInteger("status") == 200), answers.toString());
    assertDeliveredBy(before, forwarded("b", "c"), 400);
    assertEachReceivedOnce(one, "share", 200);
    assertEachReceivedOnce(two, "share", 200);
  }

  @Test
  @Order(2)
  void aLargeBodyCrossesNodesByteForByte() throws Exception {
    byte[] payload = new byte[9 * 1024 * 1024];
    new Random(9).nextBytes(payload);
    HttpResponse<Buffer> response = client.post("/large").sendBuffer(Buffer.buffer(payload)).await(30, TimeUnit.SECONDS);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    for (RecordingBackend backend : List.of(one, two)) {
      RecordingBackend.Received received = backend.received().stream().filter(r -> r.uri().equals("/large")).findFirst().orElseThrow();
      assertArrayEquals(payload, received.body().getBytes());
    }
  }

  /** The answer crosses from a forwarder node to the ingress node as the bytes the backend sent. */
  @Test
  @Order(3)
  void aPrimaryBinaryAnswerCrossesNodesByteForByte() throws Exception {
    HttpResponse<Buffer> response = client.post("/binary").sendBuffer(Buffer.buffer("x")).await(10, TimeUnit.SECONDS);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("application/octet-stream", response.getHeader(HttpHeaders.CONTENT_TYPE.toString()));
    assertArrayEquals(BINARY.getBytes(), response.body().getBytes());
  }

  @Test
  @Order(4)
  void killingAForwarderNodeLosesNoAnswerAndTheSurvivorTakesOver() throws Exception {
    Future<List<JsonObject>> during = sendAsync("kill", 300, 8);
    vertx.timer(300).await(5, TimeUnit.SECONDS);
    b.kill();
    List<JsonObject> answers = during.await(60, TimeUnit.SECONDS);

    for (JsonObject answer : answers) {
      assertTrue(answer.getLong("elapsedMs") < TIMEOUT_MS + 1_500, "answered after " + answer.getLong("elapsedMs") + " ms: " + answer);
      for (String name : List.of("one", "two")) {
        JsonObject result = answer.getJsonObject("body").getJsonObject(name);
        int status = result.getInteger("status");
        assertTrue(status == 200 || status == 504 || status == 503, "unexpected " + answer);
        if (status != 200) {
          assertTrue(result.getString("error") != null && !result.getString("error").isBlank(), "a failure without a reason: " + answer);
        }
      }
    }
    // Whatever was answered 200 was delivered, once; what the dead node may have taken is reported as such.
    assertDeliveredOnceWhenAnswered200(answers, one, "one");
    assertDeliveredOnceWhenAnswered200(answers, two, "two");

    Map<String, Long> beforeAfter = forwarded("c");
    List<JsonObject> after = send("after-kill", 40);
    assertTrue(after.stream().allMatch(answer -> answer.getInteger("status") == 200), after.toString());
    assertDeliveredBy(beforeAfter, forwarded("c"), 80);

    b = node("b", "forwarder", 1);
    b.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    Map<String, Long> beforeBack = forwarded("b", "c");
    List<JsonObject> back = send("b-back", 100);
    assertTrue(back.stream().allMatch(answer -> answer.getInteger("status") == 200), back.toString());
    assertDeliveredBy(beforeBack, forwarded("b", "c"), 200);
  }

  @Test
  @Order(5)
  void withNoForwarderLeftTheAnswerIs503AtOnceAndDeliveryResumesWhenOneReturns() throws Exception {
    b.kill();
    c.kill();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject answer;
    do {
      answer = send("gone", 1).get(0);
    } while (answer.getInteger("status") != 503 && System.nanoTime() < deadline);

    List<JsonObject> noForwarder = send("gone", 10);
    for (JsonObject each : noForwarder) {
      assertEquals(503, each.getInteger("status"), each.encode());
      assertEquals("no forwarder", each.getJsonObject("body").getJsonObject("one").getString("error"));
      assertTrue(each.getLong("elapsedMs") < TIMEOUT_MS / 2, "took " + each.getLong("elapsedMs") + " ms");
    }

    c = node("c", "forwarder", 2);
    c.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    Map<String, Long> beforeResumed = forwarded("c");
    List<JsonObject> resumed = send("resumed", 20);
    assertTrue(resumed.stream().allMatch(each -> each.getInteger("status") == 200), resumed.toString());
    assertDeliveredBy(beforeResumed, forwarded("c"), 40);
  }

  private HookcastProcess node(String name, String role, int index) {
    String members = clusterPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    int adminPort = HookcastProcess.freePort();
    adminPorts.put(name, adminPort);
    return HookcastProcess.start(Map.of(
        "HOOKCAST_NODE_NAME", name,
        "HOOKCAST_ROLES", role,
        "HOOKCAST_ADMIN_PORT", String.valueOf(adminPort),
        "HOOKCAST_CLUSTER_HOST", "127.0.0.1",
        "HOOKCAST_CLUSTER_PORT", String.valueOf(clusterPorts.get(index)),
        "HOOKCAST_CLUSTER_MEMBERS", members),
      "-cluster", "-conf", config.toString());
  }

  private List<JsonObject> send(String prefix, int count) throws Exception {
    return sendAsync(prefix, count, 8).await(120, TimeUnit.SECONDS);
  }

  /** Sends {@code count} webhooks, {@code concurrency} at a time; each answer with its status and elapsed time. */
  private Future<List<JsonObject>> sendAsync(String prefix, int count, int concurrency) {
    List<JsonObject> answers = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int batch = 0; batch < count; batch += concurrency) {
      int first = batch;
      chain = chain.compose(v -> {
        List<Future<JsonObject>> inFlight = new ArrayList<>();
        for (int i = first; i < Math.min(first + concurrency, count); i++) {
          long start = System.nanoTime();
          String body = prefix + "-" + i;
          inFlight.add(client.post("/").sendBuffer(Buffer.buffer(body)).map(response -> new JsonObject()
            .put("webhook", body)
            .put("status", response.statusCode())
            .put("elapsedMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .put("body", response.bodyAsJsonObject())));
        }
        return Future.all(inFlight).map(all -> {
          answers.addAll(all.list());
          return null;
        });
      });
    }
    return chain.map(v -> answers);
  }

  /** Deliveries made by each node's forwarders so far (hookcast_forwarded_total, both backends), by node name. */
  private Map<String, Long> forwarded(String... names) throws Exception {
    Map<String, Long> counts = new HashMap<>();
    for (String name : names) {
      String metrics = client.get(adminPorts.get(name), "127.0.0.1", "/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
      long total = metrics.lines().filter(line -> line.startsWith("hookcast_forwarded_total{"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
      counts.put(name, total);
    }
    return counts;
  }

  /** Every node counted delivered some of the {@code total} deliveries, and together they delivered all of them. */
  private static void assertDeliveredBy(Map<String, Long> before, Map<String, Long> after, long total) {
    long sum = 0;
    for (String name : after.keySet()) {
      long delta = after.get(name) - before.getOrDefault(name, 0L);
      assertTrue(delta > 0, "node " + name + " delivered nothing: " + before + " -> " + after);
      sum += delta;
    }
    assertEquals(total, sum, "deliveries by " + after.keySet() + ": " + before + " -> " + after);
  }

  private static void assertEachReceivedOnce(RecordingBackend backend, String prefix, int count) {
    List<String> bodies = backend.received().stream().map(r -> r.body().toString()).filter(body -> body.startsWith(prefix + "-")).toList();
    Set<String> expected = IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(count, bodies.size(), "deliveries of " + prefix);
    assertEquals(expected, new TreeSet<>(bodies));
  }

  private static void assertDeliveredOnceWhenAnswered200(List<JsonObject> answers, RecordingBackend backend, String name) {
    Map<String, Long> deliveries = backend.received().stream().map(r -> r.body().toString())
      .collect(Collectors.groupingBy(body -> body, Collectors.counting()));
    for (JsonObject answer : answers) {
      if (answer.getJsonObject("body").getJsonObject(name).getInteger("status") == 200) {
        assertEquals(1L, deliveries.getOrDefault(answer.getString("webhook"), 0L), "deliveries of " + answer.getString("webhook") + " to " + name);
      }
    }
    assertTrue(deliveries.values().stream().allMatch(n -> n == 1), "a webhook was delivered twice to " + name);
  }
}
