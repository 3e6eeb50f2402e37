package io.hookcast.verify;

import io.hookcast.work.BodyWork;
import io.hookcast.crypto.Hmac;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LoopStalls;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signatures over bodies on both sides of {@link BodyWork#IN_PLACE_MAX_BYTES}, checked through the running router on
 * loopback: the same answers either side, and an event loop that keeps serving while a large body is checked. The
 * node runs on a Vert.x of one event loop, so that a stall of any of its verticles shows on the test's timer.
 */
class LargeBodyVerificationTest {

  private static final String OLD_SECRET = "the secret being retired";
  private static final String NEW_SECRET = "the secret taking over";
  private static final String STRIPE_SECRET = "whsec_stripe_endpoint_secret";
  private static final List<Integer> SIZES = List.of(BodyWork.IN_PLACE_MAX_BYTES, BodyWork.IN_PLACE_MAX_BYTES + 1, 4 << 20);
  /** Enough that one forged body costs on the order of a second of HMACs: an event loop held for it could not hide. */
  private static final int MANY_KEYS = 64;
  private static final int FORGED_BODY_BYTES = 16 << 20;
  /** Generous against the scheduler of a busy machine, and far below what the forged body's HMACs take. */
  private static final long LONGEST_STALL_MS = 250;

  private Vertx vertx;
  private RecordingBackend ci;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    ci = RecordingBackend.answering(vertx, 200, "ci ok").await(10, TimeUnit.SECONDS);
    JsonArray manyKeys = new JsonArray();
    for (int i = 0; i < MANY_KEYS; i++) {
      manyKeys.add(secretFile(dir, "key-" + i, "one of many keys, none the sender's: " + i));
    }
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()));
    config.put("routes", new JsonArray()
      .add(route("/github", new JsonObject().put("scheme", "github")
        .put("secretFile", new JsonArray().add(secretFile(dir, "old", OLD_SECRET)).add(secretFile(dir, "new", NEW_SECRET)))))
      .add(route("/stripe", new JsonObject().put("scheme", "stripe").put("secretFile", secretFile(dir, "stripe", STRIPE_SECRET))))
      .add(route("/many-keys", new JsonObject().put("scheme", "github").put("secretFile", manyKeys))));
    hookcast = RunningHookcast.deploy(vertx, config).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aBodyOfAnySizeSignedWithEitherSecretIsDeliveredIntactAndEveryOtherIsRefusedWithTheSameReason() throws Exception {
    for (int size : SIZES) {
      Buffer body = body(size);
      Buffer tampered = body.copy().setByte(size - 1, (byte) (body.getByte(size - 1) ^ 1));
      String what = size + " bytes";

      assertAccepted(github(body, githubSignature(NEW_SECRET, body)), what);
      assertAccepted(github(body, githubSignature(OLD_SECRET, body)), what);
      assertRefused("signature mismatch", github(body, githubSignature("not a secret of the route", body)), what);
      assertRefused("signature mismatch", github(tampered, githubSignature(NEW_SECRET, body)), what);
      assertRefused("missing signature header", github(body, null), what);
      assertRefused("malformed signature header", github(body, "sha256=not hex"), what);
    }
    List<RecordingBackend.Received> received = ci.received();
    assertEquals(2 * SIZES.size(), received.size());
    for (int i = 0; i < SIZES.size(); i++) {
      assertEquals(body(SIZES.get(i)), received.get(2 * i).body());
      assertEquals(body(SIZES.get(i)), received.get(2 * i + 1).body());
    }
  }

  @Test
  void aLargeBodysTimestampIsCheckedAfterItsSignatureAsASmallOnes() throws Exception {
    Buffer body = body(4 << 20);
    long now = System.currentTimeMillis() / 1000;
    long hourAgo = now - 3600;

    assertAccepted(stripe(body, now, STRIPE_SECRET), "signed now");
    assertRefused("timestamp outside tolerance", stripe(body, hourAgo, STRIPE_SECRET), "signed an hour ago");
    assertRefused("signature mismatch", stripe(body, hourAgo, "whsec_not_the_endpoints"), "forged an hour ago");
    assertEquals(1, ci.received().size());
  }

  @Test
  void theEventLoopKeepsServingWhileAForgedLargeBodyIsCheckedAgainstEveryKey() throws Exception {
    Buffer body = body(FORGED_BODY_BYTES);
    String forged = githubSignature("not a secret of the route", body);
    // The first exchange of a body this large loads classes and fills pools on the event loop; that stall is not one
    // of hashing.
    assertRefused("signature mismatch", github(body, forged), "warming up");

    LoopStalls stalls = LoopStalls.watch(vertx);
    long start = System.nanoTime();
    HttpResponse<Buffer> answer = send("/many-keys", body, "X-Hub-Signature-256", forged);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long longestStallMs = stalls.stopMs();

    assertEquals(401, answer.statusCode(), answer.bodyAsString());
    assertEquals("signature mismatch", answer.bodyAsJsonObject().getString("error"));
    assertTrue(longestStallMs < LONGEST_STALL_MS, "the event loop stalled for " + longestStallMs + " ms while " + MANY_KEYS
      + " HMACs of " + FORGED_BODY_BYTES + " bytes were checked, which took " + tookMs + " ms in all");
    assertTrue(ci.received().isEmpty());
  }

  /**
   * Each forged body costs about a second of HMACs on a pool of half the cores: with more of them at once than the
   * pool clears in a second, the last would wait past the second a sender's connection is kept beyond the backends'
   * timeouts, so they are answered 503 with Retry-After rather than kept waiting.
   */
  @Test
  void aWebhookThatWouldWaitMoreThanASecondForAWorkerIsAnswered503() throws Exception {
    Buffer body = body(FORGED_BODY_BYTES);
    String forged = githubSignature("not a secret of the route", body);
    assertRefused("signature mismatch", github(body, forged), "warming up");
    int flood = Runtime.getRuntime().availableProcessors() + 3;
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < flood; i++) {
      sent.add(hookcast.client().post("/many-keys").timeout(TimeUnit.SECONDS.toMillis(60)).putHeader("X-Hub-Signature-256", forged)
        .sendBuffer(body));
    }

    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> answer : sent) {
      answers.add(answer.await(60, TimeUnit.SECONDS));
    }

    List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
    assertTrue(statuses.stream().allMatch(status -> status == 401 || status == 503), statuses.toString());
    HttpResponse<Buffer> busy = answers.stream().filter(answer -> answer.statusCode() == 503).findFirst()
      .orElseThrow(() -> new AssertionError("none of " + flood + " forged bodies at once was refused 503: " + statuses));
    assertEquals("1", busy.getHeader("Retry-After"));
    assertEquals("the node is busy with other large webhooks; retry later", busy.bodyAsJsonObject().getString("error"));
    assertTrue(ci.received().isEmpty());
  }

  private HttpResponse<Buffer> github(Buffer body, String signature) throws Exception {
    return signature == null ? send("/github", body, null, null) : send("/github", body, "X-Hub-Signature-256", signature);
  }

  private HttpResponse<Buffer> stripe(Buffer body, long timestamp, String secret) throws Exception {
    String mac = HexFormat.of().formatHex(Hmac.sha256(Hmac.key(secret.getBytes(StandardCharsets.UTF_8)),
      (timestamp + ".").getBytes(StandardCharsets.US_ASCII), body));
    return send("/stripe", body, "Stripe-Signature", "t=" + timestamp + ",v1=" + mac);
  }

  private HttpResponse<Buffer> send(String path, Buffer body, String header, String value) throws Exception {
    HttpRequest<Buffer> request = hookcast.client().post(path).timeout(TimeUnit.SECONDS.toMillis(30));
    if (header != null) {
      request.putHeader(header, value);
    }
    return request.sendBuffer(body).await(30, TimeUnit.SECONDS);
  }

  private static void assertAccepted(HttpResponse<Buffer> answer, String what) {
    assertEquals(200, answer.statusCode(), what + ": " + answer.bodyAsString());
  }

  private static void assertRefused(String reason, HttpResponse<Buffer> answer, String what) {
    assertEquals(401, answer.statusCode(), what + ": " + answer.bodyAsString());
    assertEquals(reason, answer.bodyAsJsonObject().getString("error"), what);
  }

  private static String githubSignature(String secret, Buffer body) {
    return "sha256=" + HexFormat.of().formatHex(Hmac.sha256(Hmac.key(secret.getBytes(StandardCharsets.UTF_8)), new byte[0], body));
  }

  /** Bytes of every value, the same for the same size. */
  private static Buffer body(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private static JsonObject route(String path, JsonObject verify) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add("ci")).put("verify", verify);
  }

  private static String secretFile(Path dir, String name, String secret) throws IOException {
    return Files.writeString(dir.resolve(name), secret).toString();
  }
}
