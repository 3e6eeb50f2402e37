package io.hookcast.route;

import io.hookcast.work.BodyWork;
import io.hookcast.crypto.Hmac;
import io.hookcast.crypto.Sha256;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The sender id of a verified async route whose signature covers no id: the body's digest, the same whichever side of
 * {@link BodyWork#IN_PLACE_MAX_BYTES} the body is, so that a replay of a large body is a duplicate as a small one's is.
 */
@ExtendWith(VertxExtension.class)
class BodyDigestDedupTest {

  private static final String SECRET = "It's a Secret to Everybody";

  /** Closes the node (and its store) while the store's directory still exists: the temporary directory goes next. */
  @AfterEach
  void closeTheNode(Vertx vertx) throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void aReplayedBodyOfAnySizeIsADuplicateUnderItsDigest(Vertx vertx, @TempDir Path dir) throws Exception {
    RecordingBackend ci = RecordingBackend.answering(vertx, 200, "ci").await(10, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci"))
        .put("mode", "async")
        .put("verify", new JsonObject().put("scheme", "github")
          .put("secretFile", Files.writeString(dir.resolve("secret"), SECRET).toString()))))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    WebClient admin = WebClient.create(vertx);

    for (int size : List.of(BodyWork.IN_PLACE_MAX_BYTES, BodyWork.IN_PLACE_MAX_BYTES + 1, 4 << 20)) {
      Buffer body = body(size);
      String what = size + " bytes";

      HttpResponse<Buffer> first = send(hookcast, body);
      HttpResponse<Buffer> replay = send(hookcast, body);

      assertEquals(202, first.statusCode(), what + ": " + first.bodyAsString());
      assertNull(first.bodyAsJsonObject().getValue("duplicate"), what + ": " + first.bodyAsString());
      String id = first.bodyAsJsonObject().getString("id");
      assertEquals(202, replay.statusCode(), what + ": " + replay.bodyAsString());
      assertEquals(true, replay.bodyAsJsonObject().getBoolean("duplicate"), what + ": " + replay.bodyAsString());
      assertEquals(id, replay.bodyAsJsonObject().getString("id"), what);
      String senderId = AsyncRoute.BODY_DIGEST_PREFIX + HexFormat.of().formatHex(Sha256.of(body));
      JsonArray stored = admin.get(hookcast.adminPort(), "127.0.0.1", "/api/messages").addQueryParam("sender", senderId)
        .send().await(10, TimeUnit.SECONDS).bodyAsJsonObject().getJsonArray("messages");
      assertEquals(1, stored.size(), what + ": " + stored.encode());
      assertEquals(id, stored.getJsonObject(0).getString("id"), what);

      Buffer other = body.copy().setByte(0, (byte) (body.getByte(0) ^ 1));
      HttpResponse<Buffer> changed = send(hookcast, other);
      assertEquals(202, changed.statusCode(), what + ": " + changed.bodyAsString());
      assertNotEquals(id, changed.bodyAsJsonObject().getString("id"), what);
    }
  }

  /**
   * A signed webhook no backend's condition takes is kept all the same, without deliveries: replayed under its captured
   * signature with another event type, which the signature does not cover, it is a duplicate, not delivered.
   */
  @Test
  void aReplayOfAWebhookNoBackendTookIsADuplicateWhateverUnsignedHeadersItChanges(Vertx vertx, @TempDir Path dir)
    throws Exception {
    RecordingBackend ci = RecordingBackend.answering(vertx, 200, "ci").await(10, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("ci", ci.url()))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/github").put("backends", new JsonArray().add("ci"))
        .put("mode", "async")
        .put("verify", new JsonObject().put("scheme", "github")
          .put("secretFile", Files.writeString(dir.resolve("secret"), SECRET).toString()))
        .put("deliver", new JsonObject().put("ci", new JsonObject().put("header", "X-GitHub-Event").put("in",
          new JsonArray().add("push"))))))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    Buffer issue = Buffer.buffer("{\"action\":\"opened\",\"issue\":{\"number\":1}}");

    HttpResponse<Buffer> taken = send(hookcast, issue, "issues");
    HttpResponse<Buffer> replay = send(hookcast, issue, "push");
    HttpResponse<Buffer> push = send(hookcast, Buffer.buffer("{\"ref\":\"refs/heads/main\"}"), "push");

    assertEquals(202, taken.statusCode(), taken.bodyAsString());
    assertEquals(new JsonArray(), taken.bodyAsJsonObject().getJsonArray("backends"), taken.bodyAsString());
    assertEquals(202, replay.statusCode(), replay.bodyAsString());
    assertEquals(true, replay.bodyAsJsonObject().getBoolean("duplicate"), replay.bodyAsString());
    assertEquals(taken.bodyAsJsonObject().getString("id"), replay.bodyAsJsonObject().getString("id"));
    assertEquals(new JsonArray().add("ci"), push.bodyAsJsonObject().getJsonArray("backends"), push.bodyAsString());
    // Nothing was stored for the replay: the push is all that reaches ci.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ci.received().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(List.of("{\"ref\":\"refs/heads/main\"}"), ci.received().stream().map(r -> r.body().toString()).toList());
  }

  private static HttpResponse<Buffer> send(RunningHookcast hookcast, Buffer body) throws Exception {
    return send(hookcast, body, "push");
  }

  private static HttpResponse<Buffer> send(RunningHookcast hookcast, Buffer body, String event) throws Exception {
    String signature = "sha256=" + HexFormat.of().formatHex(
      Hmac.sha256(Hmac.key(SECRET.getBytes(StandardCharsets.UTF_8)), new byte[0], body));
    return hookcast.client().post("/github/push").putHeader("X-Hub-Signature-256", signature)
      .putHeader("X-GitHub-Event", event).timeout(TimeUnit.SECONDS.toMillis(30)).sendBuffer(body).await(30, TimeUnit.SECONDS);
  }

  /** Bytes of every value, the same for the same size. */
  private static Buffer body(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }
}
