package io.hookcast.telemetry;

import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.OtlpReceiver;
import io.hookcast.testing.RecordingBackend;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The traces of the jar as a process (one, or two clustered), exported over OTLP/HTTP to a real receiver that decodes
 * the protobuf, with real backends on 127.0.0.1 that record the {@code traceparent} they are sent.
 */
@ExtendWith(VertxExtension.class)
class TracingIT {

  private static final long STARTUP_SECONDS = 90;
  private static final Duration EXPORTED = Duration.ofSeconds(20);
  /** After the expected spans, how long any others (a warm-up's, say) would have had to arrive. */
  private static final long STRAGGLERS_MS = 1_000;
  private static final String SENDER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String SENDER_SPAN = "b7ad6b7169203331";
  private static final String SENDER_TRACEPARENT = "00-" + SENDER_TRACE + "-" + SENDER_SPAN + "-01";
  /** The batch processor exports every 100 ms rather than 5 s, so that the test waits little. */
  private static final Map<String, String> QUICK_EXPORT = Map.of("OTEL_BSP_SCHEDULE_DELAY", "100");

  private Vertx vertx;
  private WebClient client;
  private OtlpReceiver collector;
  private final List<HookcastProcess> nodes = new ArrayList<>();

  @BeforeEach
  void startCollector(Vertx vertx) throws Exception {
    this.vertx = vertx;
    client = WebClient.create(vertx);
    collector = OtlpReceiver.start(vertx).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (HookcastProcess node : nodes) {
      node.close();
    }
    client.close();
  }

  @Test
  void aSyncWebhookToTwoBackendsIsOneTraceContinuingTheSendersAndEachBackendIsSentItsOwnRequestsContext(@TempDir Path dir)
    throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(10, TimeUnit.SECONDS);
    RecordingBackend two = RecordingBackend.answering(vertx, 200, "two").await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    int adminPort = HookcastProcess.freePort();
    HookcastProcess hookcast = start(dir, new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", adminPort))
      .put("telemetry", new JsonObject().put("otlp", new JsonObject().put("endpoint", collector.url())))
      .put("backends", new JsonArray().add(backend("one", one)).add(backend("two", two))), QUICK_EXPORT);

    HttpResponse<Buffer> answer = client.post(port, "127.0.0.1", "/hook").putHeader("traceparent", SENDER_TRACEPARENT)
      .sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS);
    assertEquals(200, answer.statusCode(), answer.bodyAsString());

    List<OtlpReceiver.Received> spans = spans(3);
    dump("sync", spans);
    assertEquals(spans.size(), collector.spans().size(), "nothing else is traced (warm-up, admin): " + collector.spans());
    assertTrue(spans.stream().allMatch(span -> span.traceId().equals(SENDER_TRACE)), "one trace, the sender's: " + spans);
    OtlpReceiver.Received server = only(spans, SpanKind.SPAN_KIND_SERVER);
    assertEquals(SENDER_SPAN, server.parentSpanId());
    assertEquals("POST /", server.name());
    assertEquals("/", server.attribute("hookcast.route"));
    assertEquals("sync", server.attribute("hookcast.mode"));
    assertEquals("200", server.attribute("http.response.status_code"));
    String requestId = answer.getHeader("X-Request-Id");
    assertEquals(requestId, server.attribute("hookcast.message_id"));
    for (RecordingBackend backend : List.of(one, two)) {
      String name = backend == one ? "one" : "two";
      OtlpReceiver.Received call = delivery(spans, name, 1);
      assertEquals(server.spanId(), call.parentSpanId(), "the delivery to " + name + " is a child of the ingress's span");
      assertEquals("delivered", call.attribute("hookcast.outcome"));
      assertEquals("200", call.attribute("http.response.status_code"));
      assertEquals("node-1", call.attribute("hookcast.node"));
      assertEquals("node-1", call.resource().get("service.instance.id"));
      assertSentAsChildOf(call, backend.received().get(0), name + " is sent its own request's context");
    }
    hookcast.awaitLine("trace=" + SENDER_TRACE, 10, TimeUnit.SECONDS);
    JsonObject recent = client.get(adminPort, "127.0.0.1", "/api/sync").send().await(10, TimeUnit.SECONDS).bodyAsJsonObject()
      .getJsonArray("webhooks").getJsonObject(0);
    assertEquals(requestId, recent.getString("id"));
    assertEquals(SENDER_TRACE, recent.getString("traceId"), "the operator API leads to the trace");
    assertFalse(hookcast.output().contains("io.opentelemetry"), "the SDK starts and exports without a word: " + hookcast.output());
  }

  @Test
  void aDeliveryThatGotNoAnswerHasNoResponseStatusButItsErrorType(@TempDir Path dir) throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    start(dir, new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("telemetry", new JsonObject().put("otlp", new JsonObject().put("endpoint", collector.url())))
      .put("backends", new JsonArray().add(backend("one", one)).add(new JsonObject().put("name", "down")
        .put("url", "http://127.0.0.1:" + HookcastProcess.freePort() + "/").put("retry", new JsonObject().put("maxAttempts", 1)))),
      QUICK_EXPORT);

    HttpResponse<Buffer> answer = client.post(port, "127.0.0.1", "/hook").putHeader("traceparent", SENDER_TRACEPARENT)
      .sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS);
    assertEquals(502, answer.statusCode(), answer.bodyAsString());

    List<OtlpReceiver.Received> spans = spans(3);
    OtlpReceiver.Received call = delivery(spans, "down", 1);
    // A 502 here would read as one the backend, or a gateway before it, answered.
    assertNull(call.attribute("http.response.status_code"), call.line());
    assertEquals("connection refused", call.attribute("error.type"), call.line());
    assertEquals("200", delivery(spans, "one", 1).attribute("http.response.status_code"));
  }

  @Test
  void anAsyncWebhookRetriedOnceHasItsStoreWriteAndBothAttemptsInOneTrace(@TempDir Path dir) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    RecordingBackend flaky = RecordingBackend.start(vertx, (request, body) ->
      request.response().setStatusCode(calls.incrementAndGet() == 1 ? 500 : 200).end("flaky")).await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    int adminPort = HookcastProcess.freePort();
    HookcastProcess hookcast = start(dir, new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", adminPort))
      .put("telemetry", new JsonObject().put("otlp", new JsonObject().put("endpoint", collector.url())))
      .put("backends", new JsonArray().add(backend("flaky", flaky)))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/orders").put("mode", "async")
        .put("backends", new JsonArray().add("flaky"))))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      .put("delivery", new JsonObject().put("async", new JsonObject().put("schedule", new JsonArray().add("200ms").add("200ms")))),
      QUICK_EXPORT);

    HttpResponse<Buffer> answer = client.post(port, "127.0.0.1", "/orders/created").sendBuffer(Buffer.buffer("{\"order\":1}"))
      .await(30, TimeUnit.SECONDS);
    assertEquals(202, answer.statusCode(), answer.bodyAsString());
    String messageId = answer.getHeader("X-Hookcast-Message-Id");

    List<OtlpReceiver.Received> spans = spans(4);
    dump("async", spans);
    OtlpReceiver.Received server = only(spans, SpanKind.SPAN_KIND_SERVER);
    assertEquals("", server.parentSpanId(), "no sender context: the ingress starts the trace");
    assertTrue(spans.stream().allMatch(span -> span.traceId().equals(server.traceId())), "one trace: " + spans);
    assertEquals("async", server.attribute("hookcast.mode"));
    assertEquals("202", server.attribute("http.response.status_code"));
    assertEquals(messageId, server.attribute("hookcast.message_id"));
    OtlpReceiver.Received write = only(spans, SpanKind.SPAN_KIND_INTERNAL);
    assertEquals("store accept", write.name());
    assertEquals(server.spanId(), write.parentSpanId());
    assertEquals(messageId, write.attribute("hookcast.message_id"));
    OtlpReceiver.Received first = delivery(spans, "flaky", 1);
    OtlpReceiver.Received second = delivery(spans, "flaky", 2);
    assertEquals(server.spanId(), first.parentSpanId());
    assertEquals(server.spanId(), second.parentSpanId());
    assertEquals("500", first.attribute("http.response.status_code"));
    assertEquals("rejected", first.attribute("hookcast.outcome"));
    assertEquals("200", second.attribute("http.response.status_code"));
    assertEquals("delivered", second.attribute("hookcast.outcome"));
    assertEquals(2, flaky.received().size());
    assertSentAsChildOf(first, flaky.received().get(0), "the first attempt");
    assertSentAsChildOf(second, flaky.received().get(1), "the retry");

    JsonObject message = client.get(adminPort, "127.0.0.1", "/api/messages/" + messageId).send().await(10, TimeUnit.SECONDS)
      .bodyAsJsonObject();
    JsonArray attempts = message.getJsonArray("deliveries").getJsonObject(0).getJsonArray("attemptHistory");
    assertEquals(2, attempts.size(), message.encodePrettily());
    for (int i = 0; i < attempts.size(); i++) {
      assertEquals(server.traceId(), attempts.getJsonObject(i).getString("traceId"), message.encodePrettily());
    }
    hookcast.awaitLine("message " + messageId + " trace=" + server.traceId(), 10, TimeUnit.SECONDS);
    vertx.timer(STRAGGLERS_MS).await(10, TimeUnit.SECONDS);
    assertEquals(spans.size(), collector.spans().size(),
      "nothing else is traced (warm-up, the store's claims, the operator API): " + collector.spans());
  }

  @Test
  void aWebhookCrossingTwoClusteredNodesIsOneTraceAcrossBoth(@TempDir Path dir) throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    int ingressClusterPort = HookcastProcess.freePort();
    int forwarderClusterPort = HookcastProcess.freePort();
    String members = "127.0.0.1:" + ingressClusterPort + ",127.0.0.1:" + forwarderClusterPort;
    Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", 0))
      .put("reload", new JsonObject().put("scanPeriodMs", 0))
      .put("backends", new JsonArray().add(backend("one", one)))
      .encodePrettily());
    // Through OpenTelemetry's standard variables this time, as a container platform would set them.
    HookcastProcess ingress = clustered(config, "a", "ingress", ingressClusterPort, members);
    HookcastProcess forwarder = clustered(config, "b", "forwarder", forwarderClusterPort, members);
    ingress.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    forwarder.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    ingress.awaitLine("Members {size:2", STARTUP_SECONDS, TimeUnit.SECONDS);

    HttpResponse<Buffer> answer = sendOnceDelivered(port);

    List<OtlpReceiver.Received> spans = spans(2);
    dump("cluster", spans);
    OtlpReceiver.Received server = only(spans, SpanKind.SPAN_KIND_SERVER);
    OtlpReceiver.Received call = delivery(spans, "one", 1);
    assertEquals(server.traceId(), call.traceId(), "one trace across both nodes");
    assertEquals(server.spanId(), call.parentSpanId());
    assertEquals("a", server.resource().get("service.instance.id"));
    assertEquals("b", call.resource().get("service.instance.id"));
    assertEquals("hookcast-it", call.resource().get("service.name"));
    assertEquals("b", call.attribute("hookcast.node"));
    assertSentAsChildOf(call, one.received().get(one.received().size() - 1), answer.bodyAsString());
  }

  /**
   * Off by OpenTelemetry's own switch, with the collector named all the same: an exporter that ignored the switch
   * would reach the test's collector.
   */
  @Test
  void withTracingOffBackendsGetNoTraceparentOfHookcastsMakingAndNothingIsExported(@TempDir Path dir) throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    Map<String, String> off = new HashMap<>(QUICK_EXPORT);
    off.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url());
    off.put("OTEL_SDK_DISABLED", "true");
    HookcastProcess hookcast = start(dir, new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("backends", new JsonArray().add(backend("one", one))), off);

    assertEquals(200, client.post(port, "127.0.0.1", "/plain").sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS)
      .statusCode());
    assertEquals(200, client.post(port, "127.0.0.1", "/traced").putHeader("traceparent", SENDER_TRACEPARENT)
      .sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS).statusCode());

    hookcast.awaitLine("webhook ", 10, TimeUnit.SECONDS);
    vertx.timer(STRAGGLERS_MS).await(10, TimeUnit.SECONDS);
    assertEquals(List.of(), collector.spans(), "exported with OTEL_SDK_DISABLED=true");
    Map<String, MultiMap> received = one.received().stream()
      .collect(Collectors.toMap(RecordingBackend.Received::uri, RecordingBackend.Received::headers));
    assertNull(received.get("/plain").get("traceparent"));
    assertEquals(SENDER_TRACEPARENT, received.get("/traced").get("traceparent"), "the sender's header, passed on untouched");
    assertFalse(hookcast.output().contains("trace="), hookcast.output());
  }

  @Test
  void atASampleRatioOfZeroOnlyWebhooksTheSenderSampledAreExportedAndEveryBackendIsStillSentTheTrace(@TempDir Path dir)
    throws Exception {
    RecordingBackend one = RecordingBackend.answering(vertx, 200, "one").await(10, TimeUnit.SECONDS);
    int port = HookcastProcess.freePort();
    HookcastProcess hookcast = start(dir, new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("telemetry", new JsonObject().put("otlp", new JsonObject().put("endpoint", collector.url())).put("sampleRatio", 0))
      .put("backends", new JsonArray().add(backend("one", one))), QUICK_EXPORT);

    assertEquals(200, client.post(port, "127.0.0.1", "/unsampled").sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS)
      .statusCode());
    assertEquals(200, client.post(port, "127.0.0.1", "/sampled").putHeader("traceparent", SENDER_TRACEPARENT)
      .sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS).statusCode());

    List<OtlpReceiver.Received> spans = spans(2);
    assertEquals(spans.size(), collector.spans().size(), "only the webhook its sender sampled: " + collector.spans());
    assertTrue(spans.stream().allMatch(span -> span.traceId().equals(SENDER_TRACE)), spans.toString());
    Map<String, String> sent = one.received().stream()
      .collect(Collectors.toMap(RecordingBackend.Received::uri, received -> received.headers().get("traceparent")));
    String unsampled = sent.get("/unsampled");
    assertTrue(unsampled != null && unsampled.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}") && !unsampled.contains(SENDER_TRACE),
      "a trace of Hookcast's own: " + unsampled);
    assertEquals(0, HexFormat.fromHexDigits(unsampled.substring(53)) & 1, "not sampled, and the backend is told so: " + unsampled);
    assertSentAsChildOf(delivery(spans, "one", 1), one.received().stream().filter(r -> r.uri().equals("/sampled")).findFirst()
      .orElseThrow(), "the sampled webhook");
    // The webhook log leads to a trace only where there is one to find.
    hookcast.awaitLine("trace=" + SENDER_TRACE, 10, TimeUnit.SECONDS);
    String unsampledLine = hookcast.output().lines().filter(line -> line.contains("POST /unsampled")).findFirst().orElseThrow();
    assertFalse(unsampledLine.contains("trace="), "a trace nothing exported: " + unsampledLine);
  }

  @ParameterizedTest(name = "stock launcher: {0}")
  @ValueSource(booleans = {false, true})
  void otelSettingsTheSdkCannotUseStopTheStartAsABadConfigurationDoes(boolean stockLauncher, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/"))).encode());
    Map<String, String> environment = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url(), "OTEL_TRACES_SAMPLER_ARG", "all of them");
    HookcastProcess hookcast = stockLauncher ? HookcastProcess.startWithStockLauncher(environment, "-conf", file.toString())
      : HookcastProcess.start(environment, "-conf", file.toString());
    nodes.add(hookcast);

    assertEquals(2, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
    assertTrue(hookcast.output().contains("hookcast: invalid configuration: telemetry: "), hookcast.output());
    assertFalse(hookcast.output().contains("\tat "), "a stack trace:\n" + hookcast.output());
  }

  private HookcastProcess start(Path dir, JsonObject config, Map<String, String> environment) throws Exception {
    config.put("reload", new JsonObject().put("scanPeriodMs", 0)).put("nodeName", "node-1");
    if (!config.containsKey("admin")) {
      config.put("admin", new JsonObject().put("port", 0));
    }
    Path file = Files.writeString(dir.resolve("hookcast.json"), config.encodePrettily());
    HookcastProcess hookcast = HookcastProcess.start(environment, "-conf", file.toString());
    nodes.add(hookcast);
    hookcast.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    return hookcast;
  }

  private HookcastProcess clustered(Path config, String name, String role, int clusterPort, String members) {
    Map<String, String> environment = new HashMap<>(QUICK_EXPORT);
    environment.putAll(Map.of(
      "OTEL_EXPORTER_OTLP_ENDPOINT", collector.url(),
      "OTEL_SERVICE_NAME", "hookcast-it",
      "HOOKCAST_NODE_NAME", name,
      "HOOKCAST_ROLES", role,
      "HOOKCAST_CLUSTER_HOST", "127.0.0.1",
      "HOOKCAST_CLUSTER_PORT", String.valueOf(clusterPort),
      "HOOKCAST_CLUSTER_MEMBERS", members));
    HookcastProcess node = HookcastProcess.start(environment, "-cluster", "-conf", config.toString());
    nodes.add(node);
    return node;
  }

  /**
   * The ingress learns of the other node's forwarder through the cluster a moment after the members join; until
   * then a webhook is answered 503 ("no forwarder"), and traced as such: only the first one delivered is the test's.
   */
  private HttpResponse<Buffer> sendOnceDelivered(int port) throws Exception {
    long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      HttpResponse<Buffer> answer = client.post(port, "127.0.0.1", "/cross").sendBuffer(Buffer.buffer("{}"))
        .await(30, TimeUnit.SECONDS);
      if (answer.statusCode() == 200 || System.nanoTime() > giveUpAt) {
        assertEquals(200, answer.statusCode(), answer.bodyAsString());
        return answer;
      }
      vertx.timer(200).await(5, TimeUnit.SECONDS);
    }
  }

  /**
   * The spans of the one webhook that got through: waits for {@code expected} of them, then a while for any
   * others, which there must not be (warm-up, cluster, store and admin traffic make none).
   */
  private List<OtlpReceiver.Received> spans(int expected) throws Exception {
    Eventually.until(EXPORTED, () -> tracesDelivered().size() >= expected, () -> collector.spans().toString());
    vertx.timer(STRAGGLERS_MS).await(10, TimeUnit.SECONDS);
    List<OtlpReceiver.Received> spans = tracesDelivered();
    assertEquals(expected, spans.size(), "exactly the webhook's spans: " + collector.spans());
    return spans;
  }

  /** What was exported of traces that reached a backend: in the cluster test earlier webhooks found no forwarder. */
  private List<OtlpReceiver.Received> tracesDelivered() {
    List<OtlpReceiver.Received> all = collector.spans();
    List<String> delivered = all.stream().filter(span -> "delivered".equals(span.attribute("hookcast.outcome")))
      .map(OtlpReceiver.Received::traceId).toList();
    return all.stream().filter(span -> delivered.contains(span.traceId())).toList();
  }

  private static OtlpReceiver.Received only(List<OtlpReceiver.Received> spans, SpanKind kind) {
    List<OtlpReceiver.Received> ofKind = spans.stream().filter(span -> span.kind() == kind).toList();
    assertEquals(1, ofKind.size(), kind + ": " + spans);
    return ofKind.get(0);
  }

  private static OtlpReceiver.Received delivery(List<OtlpReceiver.Received> spans, String backend, int attempt) {
    List<OtlpReceiver.Received> calls = spans.stream().filter(span -> span.kind() == SpanKind.SPAN_KIND_CLIENT
      && backend.equals(span.attribute("hookcast.backend")) && String.valueOf(attempt).equals(span.attribute("hookcast.attempt")))
      .toList();
    assertEquals(1, calls.size(), backend + " attempt " + attempt + ": " + spans);
    return calls.get(0);
  }

  /**
   * The backend was sent {@code call}'s context: its trace, {@code call} as the parent, sampled. The other flags are
   * the SDK's (W3C level 2 adds "random trace id" to the traces it starts).
   */
  private static void assertSentAsChildOf(OtlpReceiver.Received call, RecordingBackend.Received received, String what) {
    String sent = received.headers().get("traceparent");
    assertTrue(sent != null && sent.startsWith("00-" + call.traceId() + "-" + call.spanId() + "-"), what + ": " + sent);
    assertEquals(1, HexFormat.fromHexDigits(sent.substring(sent.lastIndexOf('-') + 1)) & 1, what + " is sampled: " + sent);
  }

  private static JsonObject backend(String name, RecordingBackend backend) {
    return new JsonObject().put("name", name).put("url", backend.url());
  }

  /** The trace as the receiver saw it, for docs/operations.md. */
  private static void dump(String scenario, List<OtlpReceiver.Received> spans) {
    System.out.println("TracingIT " + scenario + ":");
    spans.forEach(span -> System.out.println("  " + span.line()));
  }
}
