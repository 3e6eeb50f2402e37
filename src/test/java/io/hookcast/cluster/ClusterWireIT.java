package io.hookcast.cluster;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.HandoffCodec;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.Reply;
import io.hookcast.bus.ReplyCodec;
import io.hookcast.bus.Webhook;
import io.hookcast.config.ClusterConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event bus between real cluster nodes, all on 127.0.0.1 with mutual TLS: B is the fat jar as a forwarder
 * process (TLS from HOOKCAST_CLUSTER_TLS_*); A and X are clustered Vert.x instances in this JVM that write raw
 * hand-off frames under Hookcast's codec name, and A reads the outcomes at an inbox of its own. A holds a member certificate, X a certificate the trust list
 * does not vouch for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterWireIT {

  private static final long STARTUP_SECONDS = 90;
  private static final long MAX_BODY_BYTES = 1024 * 1024;
  /** Wide: the first message sets up TLS connections both ways, on a machine other builds keep busy. */
  private static final long REPLY_TIMEOUT_MS = 60_000;
  private static final String INBOX = Addresses.inbox("wire-test");
  /** What the outsider waits before its hand-off counts as not delivered. */
  private static final long OUTSIDER_TIMEOUT_MS = 10_000;

  private final Vertx local = Vertx.vertx();
  /** Each checked free and handed out once, below the kernel's ephemeral range, as every other port of the suite. */
  private final List<Integer> clusterPorts = IntStream.range(0, 3).mapToObj(i -> HookcastProcess.freePort()).toList();
  private final List<String> members = clusterPorts.stream().map(port -> "127.0.0.1:" + port).toList();
  private RecordingBackend backend;
  private TestCertificates certificates;
  private HookcastProcess b;
  private Vertx a;
  private Vertx x;
  /** Backend one's address on B, which depends on its settings (see {@link Addresses#forwarders}). */
  private String address;
  /** Replies awaited at A's inbox, by exchange. */
  private final Map<Long, Promise<Reply>> awaited = new ConcurrentHashMap<>();

  /** Writes whatever bytes it is given as the body of a message under one of Hookcast's codec names. */
  private record RawFrames(String name) implements MessageCodec<Buffer, Object> {
    @Override
    public void encodeToWire(Buffer buffer, Buffer frame) {
      buffer.appendBuffer(frame);
    }

    @Override
    public Object decodeFromWire(int pos, Buffer buffer) {
      throw new UnsupportedOperationException("this node only sends raw frames");
    }

    @Override
    public Object transform(Buffer frame) {
      return frame;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  @BeforeAll
  void startNodes(@TempDir Path dir) throws Exception {
    backend = RecordingBackend.answering(local, 200, "delivered").await(10, TimeUnit.SECONDS);
    certificates = TestCertificates.create(dir);
    JsonObject json = new JsonObject()
      .put("admin", new JsonObject().put("port", 0))
      .put("reload", new JsonObject().put("scanPeriodMs", 0))
      .put("delivery", new JsonObject().put("timeoutMs", 5_000)
        // One failure would open the circuit: refused frames must not count as one.
        .put("circuitBreaker", new JsonObject().put("failureThreshold", 1).put("resetTimeoutMs", 600_000)))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", backend.url())));
    address = Addresses.forwarders(HookcastConfig.fromJson(json, Map.of()).backends().get(0));
    Path config = Files.writeString(dir.resolve("hookcast.json"), json.encode());
    ClusterConfig.Tls member = certificates.member();
    b = HookcastProcess.start(Map.of(
        "HOOKCAST_NODE_NAME", "b",
        "HOOKCAST_ROLES", "forwarder",
        "HOOKCAST_CLUSTER_HOST", "127.0.0.1",
        "HOOKCAST_CLUSTER_PORT", String.valueOf(clusterPorts.get(0)),
        "HOOKCAST_CLUSTER_MEMBERS", String.join(",", members),
        "HOOKCAST_CLUSTER_TLS_KEY", member.keyPath(),
        "HOOKCAST_CLUSTER_TLS_CERT", member.certPath(),
        "HOOKCAST_CLUSTER_TLS_TRUST", member.trustPath()),
      "-cluster", "-conf", config.toString());
    b.awaitLine("Succeeded in deploying verticle", STARTUP_SECONDS, TimeUnit.SECONDS);
    a = clusteredNode("a", 1, member);
    a.eventBus().<Reply>consumer(INBOX, message -> {
      Promise<Reply> outcome = awaited.get(message.body().exchange());
      if (outcome != null) {
        outcome.tryComplete(message.body());
      }
    }).completion().await(30, TimeUnit.SECONDS);
    x = clusteredNode("x", 2, certificates.outsider());
  }

  @AfterAll
  void stopNodes() throws Exception {
    for (Vertx node : new Vertx[] {x, a}) {
      if (node != null) {
        node.close().await(30, TimeUnit.SECONDS);
      }
    }
    if (b != null) {
      b.close();
    }
    local.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @Order(1)
  void aHandoffCrossesTheTlsEventBusAndItsOutcomeComesBackToTheInboxNamedInIt() throws Exception {
    Reply outcome = withOutputOfB(firstDelivery(a, handoff("a", "over-tls", 77, 5), 77, REPLY_TIMEOUT_MS));

    assertEquals(77, outcome.exchange());
    assertEquals(5, outcome.slot());
    assertEquals(200, outcome.result().status(), outcome.toString());
    assertEquals("b", outcome.result().node());
    assertEquals(1, outcome.result().attempts());
    assertEquals(1, received("over-tls"));
  }

  @Test
  @Order(2)
  void malformedHandoffsAreLoggedAnsweredWhenTheySayWhereAndReachNoBackendNorOpenItsCircuit() throws Exception {
    Buffer hugeBody = handoff("a", "handoff-huge", 78, 2);
    hugeBody.setInt(hugeBody.length() - "handoff-huge".length() - 4, Integer.MAX_VALUE);
    Buffer otherVersion = handoff("a", "handoff-other-version", 79, 0);
    otherVersion.setByte(8, (byte) 9);
    Buffer garbage = Buffer.buffer("\u0000\u0000\u0000\u0010not a frame at all");

    send(a, otherVersion);
    b.awaitLine("node 'b' refused a frame from node 'a' for " + address + ": the hand-off frame is of wire version 9", 30, TimeUnit.SECONDS);
    send(a, garbage);
    b.awaitLine("node 'b' refused a frame from an unknown node for " + address, 30, TimeUnit.SECONDS);
    Reply refused = withOutputOfB(deliver(a, hugeBody, 78, REPLY_TIMEOUT_MS));

    assertEquals(2, refused.slot(), "the outcome answers the hand-off that said where to answer: " + refused);
    assertInstanceOf(Outcome.Unreachable.class, refused.result().outcome(), refused.toString());
    assertEquals(Outcome.UNREACHABLE, refused.result().status());
    assertEquals("forwarder failed", refused.result().error());
    // A failed attempt (B would refuse it again, so an async delivery follows its schedule), though no request was made.
    assertTrue(refused.result().outcome().attempted());
    assertEquals(0, refused.result().attempts());
    Reply after = withOutputOfB(deliver(a, handoff("a", "after-hostile", 80, 0), 80, REPLY_TIMEOUT_MS));
    assertEquals(200, after.result().status(), "circuit still closed: " + after);
    assertEquals(0, received("handoff-other-version") + received("handoff-huge"));
    assertEquals(1, received("after-hostile"));
  }

  @Test
  @Order(3)
  void aNodeWithoutATrustedCertificateCannotDeliver() throws Exception {
    Throwable failure = failureOf(deliver(x, handoff("x", "from-outsider", 81, 0), 81, OUTSIDER_TIMEOUT_MS))
      .await(STARTUP_SECONDS, TimeUnit.SECONDS);

    // Not in the cluster, it has nobody to hand to (NO_HANDLERS) or its hand-off goes nowhere (no outcome in time).
    assertTrue(failure instanceof ReplyException || failure instanceof TimeoutException, String.valueOf(failure));
    assertEquals(0, received("from-outsider"));
  }

  private Vertx clusteredNode(String name, int index, ClusterConfig.Tls tls) throws Exception {
    VertxOptions options = new VertxOptions();
    EventBusTls.load(tls).applyTo(options.getEventBusOptions().setHost("127.0.0.1"));
    Vertx node = Vertx.builder().with(options)
      .withClusterManager(HazelcastSetup.clusterManager(new ClusterConfig("cluster.xml", "127.0.0.1",
        clusterPorts.get(index), members, tls)))
      .buildClustered()
      .await(STARTUP_SECONDS, TimeUnit.SECONDS);
    node.eventBus().registerCodec(new RawFrames(HandoffCodec.NAME));
    node.eventBus().registerDefaultCodec(Reply.class, new ReplyCodec(name));
    return node;
  }

  /** A hand-off frame, as node {@code sender}'s codec writes it, of a webhook whose body and request id are {@code tag}. */
  private static Buffer handoff(String sender, String tag, long exchange, int slot) {
    Buffer frame = Buffer.buffer();
    new HandoffCodec(sender, MAX_BODY_BYTES).encodeToWire(frame, new Handoff(
      new Webhook(tag, "POST", "/" + tag, MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", tag), Buffer.buffer(tag)),
      INBOX, exchange, slot, 1, 5_000));
    return frame;
  }

  private Future<Void> send(Vertx node, Buffer frame) {
    return node.eventBus().<Buffer>sender(address, new DeliveryOptions().setCodecName(HandoffCodec.NAME)).write(frame);
  }

  /** Sends {@code frame} and waits for the outcome of {@code exchange} at A's inbox; fails if the send does. */
  private Future<Reply> deliver(Vertx node, Buffer frame, long exchange, long timeoutMs) {
    Promise<Reply> outcome = Promise.promise();
    awaited.put(exchange, outcome);
    send(node, frame).onFailure(outcome::tryFail);
    return outcome.future().timeout(timeoutMs, TimeUnit.MILLISECONDS).onComplete(done -> awaited.remove(exchange));
  }

  /** Sends once the cluster has told {@code node} about B's forwarder: until then the send fails with NO_HANDLERS. */
  private Future<Reply> firstDelivery(Vertx node, Buffer frame, long exchange, long timeoutMs) {
    return deliver(node, frame, exchange, timeoutMs).recover(failure -> failure instanceof ReplyException reply
      && reply.failureType() == ReplyFailure.NO_HANDLERS
      ? node.timer(200).compose(v -> firstDelivery(node, frame, exchange, timeoutMs))
      : Future.failedFuture(failure));
  }

  /** The answer; a failure says what node B logged, since B is another process. */
  private <T> T withOutputOfB(Future<T> answer) {
    try {
      return answer.await(STARTUP_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e + "\nnode b's output:\n" + b.output(), e);
    }
  }

  /** What a delivery failed with; an outcome instead is a test failure of its own. */
  private static Future<Throwable> failureOf(Future<Reply> delivery) {
    return delivery.<Throwable>map(outcome -> new AssertionError("answered instead of refused: " + outcome)).otherwise(e -> e);
  }

  private long received(String tag) {
    return backend.received().stream().filter(r -> r.uri().equals("/" + tag)).collect(Collectors.counting());
  }
}
