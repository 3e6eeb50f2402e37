package io.hookcast.sign;

import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.VerifyConfig;
import io.hookcast.work.BodyWork;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LoopStalls;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.hookcast.verify.SignatureVerifier;
import io.hookcast.verify.Verdict;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deliveries of bodies on both sides of {@link BodyWork#IN_PLACE_MAX_BYTES} to signing backends, through the running
 * router on loopback: every one signed as a Standard Webhooks library checks it, an event loop that keeps serving while
 * a large body is signed, and a backend's deadline that also bounds the wait for the signature. The node runs on a
 * Vert.x of one event loop, so that a stall of any of its verticles shows on the test's timer.
 */
class LargeBodySigningTest {

  private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString("the key being retired".getBytes(StandardCharsets.UTF_8));
  private static final String NEW_SECRET = "whsec_" + Base64.getEncoder().encodeToString("the key taking over".getBytes(StandardCharsets.UTF_8));
  private static final List<Integer> SIZES = List.of(BodyWork.IN_PLACE_MAX_BYTES, BodyWork.IN_PLACE_MAX_BYTES + 1, 4 << 20);
  /** Enough that one delivery's signature costs on the order of a second of HMACs: an event loop held for it could not hide. */
  private static final int MANY_KEYS = 64;
  private static final int LARGE_BODY_BYTES = 16 << 20;
  /** Generous against the scheduler of a busy machine, and far below what the large body's HMACs take. */
  private static final long LONGEST_STALL_MS = 250;
  /** Far shorter than signing the large body with every key takes. */
  private static final long SHORT_TIMEOUT_MS = 50;

  private Vertx vertx;
  private RecordingBackend signed;
  private RecordingBackend manyKeys;
  private RecordingBackend hurried;
  private List<String> manyKeySecrets;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    signed = RecordingBackend.answering(vertx, 200, "signed ok").await(10, TimeUnit.SECONDS);
    manyKeys = RecordingBackend.answering(vertx, 200, "many keys ok").await(10, TimeUnit.SECONDS);
    hurried = RecordingBackend.answering(vertx, 200, "hurried ok").await(10, TimeUnit.SECONDS);
    manyKeySecrets = new ArrayList<>();
    JsonArray manyKeyFiles = new JsonArray();
    for (int i = 0; i < MANY_KEYS; i++) {
      String secret = "whsec_" + Base64.getEncoder().encodeToString(("signing key " + i).getBytes(StandardCharsets.UTF_8));
      manyKeySecrets.add(secret);
      manyKeyFiles.add(secretFile(dir, "key-" + i, secret));
    }
    JsonObject config = Configs.withBackends(
      Configs.backend("signed", signed.url()).put("sign", new JsonObject().put("secretFile",
        new JsonArray().add(secretFile(dir, "old", OLD_SECRET)).add(secretFile(dir, "new", NEW_SECRET)))),
      Configs.backend("many-keys", manyKeys.url()).put("sign", new JsonObject().put("secretFile", manyKeyFiles)),
      Configs.backend("hurried", hurried.url(), SHORT_TIMEOUT_MS).put("sign", new JsonObject().put("secretFile", manyKeyFiles))
        // One failure of the backend's own would open its circuit.
        .put("circuitBreaker", new JsonObject().put("failureThreshold", 1).put("resetTimeoutMs", 60_000)));
    config.put("routes", new JsonArray()
      .add(route("/signed", "signed"))
      .add(route("/many-keys", "many-keys"))
      .add(route("/hurried", "hurried")));
    hookcast = RunningHookcast.deploy(vertx, config).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aBodyOfAnySizeReachesTheBackendSignedWithEachSecret() throws Exception {
    for (int size : SIZES) {
      HttpResponse<Buffer> answer = send("/signed", body(size));
      assertEquals(200, answer.statusCode(), size + " bytes: " + answer.bodyAsString());
    }
    List<RecordingBackend.Received> received = signed.received();
    assertEquals(SIZES.size(), received.size());
    for (int i = 0; i < SIZES.size(); i++) {
      RecordingBackend.Received delivery = received.get(i);
      String what = SIZES.get(i) + " bytes";
      assertEquals(body(SIZES.get(i)), delivery.body(), what);
      assertEquals(2, delivery.headers().get(SignatureHeaders.SIGNATURE).split(" ").length, what);
      assertEquals(Verdict.ACCEPTED, verdict(OLD_SECRET, delivery.headers(), delivery.body()), what);
      assertEquals(Verdict.ACCEPTED, verdict(NEW_SECRET, delivery.headers(), delivery.body()), what);
      Buffer tampered = delivery.body().copy().setByte(0, (byte) (delivery.body().getByte(0) ^ 1));
      assertEquals(Verdict.SIGNATURE_MISMATCH, verdict(NEW_SECRET, delivery.headers(), tampered), what);
    }
  }

  @Test
  void theEventLoopKeepsServingWhileALargeBodyIsSignedWithEveryKey() throws Exception {
    Buffer body = body(LARGE_BODY_BYTES);
    // The first exchange of a body this large loads classes and fills pools on the event loop; that stall is not one
    // of hashing.
    assertEquals(200, send("/signed", body).statusCode());

    LoopStalls stalls = LoopStalls.watch(vertx);
    long start = System.nanoTime();
    HttpResponse<Buffer> answer = send("/many-keys", body);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    long longestStallMs = stalls.stopMs();

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertTrue(longestStallMs < LONGEST_STALL_MS, "the event loop stalled for " + longestStallMs + " ms while a delivery of "
      + LARGE_BODY_BYTES + " bytes was signed with " + MANY_KEYS + " keys, which took " + tookMs + " ms in all");
    RecordingBackend.Received delivery = manyKeys.received().get(0);
    assertEquals(MANY_KEYS, delivery.headers().get(SignatureHeaders.SIGNATURE).split(" ").length);
    assertEquals(Verdict.ACCEPTED, verdict(manyKeySecrets.get(MANY_KEYS - 1), delivery.headers(), delivery.body()));
  }

  @Test
  void aBackendsDeadlineAlsoBoundsTheWaitForItsSignatureAndNoRequestIsMadeAfterIt() throws Exception {
    Buffer body = body(LARGE_BODY_BYTES);
    assertEquals(200, send("/signed", body).statusCode());

    long start = System.nanoTime();
    HttpResponse<Buffer> answer = send("/hurried", body);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(504, answer.statusCode(), answer.bodyAsString());
    JsonObject result = answer.bodyAsJsonObject().getJsonObject("hurried");
    // Not the backend's doing: a refusal before sending, which neither its circuit nor its attempts count.
    assertEquals("not signed within " + SHORT_TIMEOUT_MS + " ms: this node's signing workers are busy; the backend was not"
      + " contacted", result.getString("error"), result.encode());
    assertEquals(0, result.getInteger("attempts"), result.encode());
    // The body's upload and reading come before the deadline starts; signing it with every key takes about a second.
    assertTrue(tookMs < SHORT_TIMEOUT_MS + 450, "answered after " + tookMs + " ms");
    // Long after the signature is done: had the forwarder called the backend once it was, the call would be here.
    Thread.sleep(2_000);
    assertTrue(hurried.received().isEmpty(), "received " + hurried.received().size());

    // The refusal did not open the backend's circuit: the next webhook, signed in place, is sent to it.
    JsonObject next = send("/hurried", body(100)).bodyAsJsonObject().getJsonObject("hurried");
    assertEquals(1, next.getInteger("attempts"), next.encode());
    assertEquals(1, hurried.received().size(), next.encode());
  }

  private HttpResponse<Buffer> send(String path, Buffer body) throws Exception {
    return hookcast.client().post(path).timeout(TimeUnit.SECONDS.toMillis(30)).sendBuffer(body).await(30, TimeUnit.SECONDS);
  }

  private static Verdict verdict(String secret, MultiMap headers, Buffer body) {
    SignatureVerifier verifier = SignatureVerifier.forConfig(new VerifyConfig(VerifyConfig.Scheme.STANDARD_WEBHOOKS,
      List.of(new Secret(new SecretSource(SecretSource.Kind.FILE, "signing-secret"), secret)), 300));
    return verifier.verify(headers, body, Instant.now());
  }

  /** Bytes of every value, the same for the same size. */
  private static Buffer body(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private static JsonObject route(String path, String backend) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add(backend));
  }

  private static String secretFile(Path dir, String name, String secret) throws IOException {
    return Files.writeString(dir.resolve(name), secret).toString();
  }
}
