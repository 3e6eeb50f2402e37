package io.hookcast.route;

import io.hookcast.crypto.Hmac;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Providers' verification handshakes through a route that answers with its primary backend's response. The primary
 * is a real backend implementing each provider's documented handshake; a second backend on the route must still get
 * every request, and its answer must not reach the sender.
 */
@ExtendWith(VertxExtension.class)
class HandshakeTest {

  private static final String ZOOM_SECRET = "zoom-secret-token";

  private RecordingBackend app;
  private RecordingBackend audit;
  private RecordingBackend failing;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.start(vertx, HandshakeTest::handshakes), RecordingBackend.answering(vertx, 202, "audit ok"),
        RecordingBackend.answering(vertx, 503, "down for maintenance"))
      .compose(started -> {
        app = started.resultAt(0);
        audit = started.resultAt(1);
        failing = started.resultAt(2);
        JsonObject config = Configs.withBackends(Configs.backend("app", app.url()), Configs.backend("audit", audit.url()),
          Configs.backend("failing", failing.url()).put("retry", new JsonObject().put("maxAttempts", 1)),
          Configs.backend("gone", Configs.unreachableUrl()).put("retry", new JsonObject().put("maxAttempts", 1)));
        config.put("routes", new JsonArray()
          .add(route("/hooks", "app", "audit"))
          .add(route("/failing", "failing", "audit"))
          .add(route("/gone", "gone", "audit")));
        return RunningHookcast.deploy(vertx, config);
      })
      .onComplete(context.succeeding(running -> {
        hookcast = running;
        context.completeNow();
      }));
  }

  private static JsonObject route(String path, String primary, String... others) {
    JsonArray backends = new JsonArray().add(primary);
    for (String other : others) {
      backends.add(other);
    }
    return new JsonObject().put("path", path).put("backends", backends).put("answer", "primary").put("primary", primary)
      .put("methods", new JsonArray().add("GET").add("POST"));
  }

  /** Each provider's handshake as its documentation describes what the receiving endpoint must answer. */
  private static void handshakes(HttpServerRequest request, Buffer body) {
    String hubChallenge = request.getParam("hub.challenge");
    String dropboxChallenge = request.getParam("challenge");
    String validationToken = request.getParam("validationToken");
    JsonObject json = body.length() > 0 && body.getByte(0) == '{' ? body.toJsonObject() : new JsonObject();
    if (request.method() == HttpMethod.GET && hubChallenge != null) {
      text(request, hubChallenge);
    } else if (request.method() == HttpMethod.GET && dropboxChallenge != null) {
      request.response().putHeader("X-Content-Type-Options", "nosniff");
      text(request, dropboxChallenge);
    } else if (validationToken != null) {
      text(request, validationToken);
    } else if ("url_verification".equals(json.getString("type"))) {
      Buffer answer = new JsonObject().put("challenge", json.getString("challenge")).toBuffer();
      String accepted = request.getHeader(HttpHeaders.ACCEPT_ENCODING);
      if (accepted != null && accepted.contains("gzip")) {
        // As NGINX with gzip on answers JSON to a request that takes it.
        request.response().putHeader(HttpHeaders.CONTENT_ENCODING, "gzip");
        answer = gzip(answer);
      }
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(answer);
    } else if ("endpoint.url_validation".equals(json.getString("event"))) {
      String plainToken = json.getJsonObject("payload").getString("plainToken");
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("plainToken", plainToken).put("encryptedToken", zoomEncrypted(plainToken)).encode());
    } else {
      request.response().setStatusCode(400).end("not a handshake");
    }
  }

  private static Buffer gzip(Buffer plain) {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(compressed)) {
      out.write(plain.getBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(compressed.toByteArray());
  }

  private static void text(HttpServerRequest request, String body) {
    request.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end(body);
  }

  private static String zoomEncrypted(String plainToken) {
    return HexFormat.of().formatHex(Hmac.sha256(Hmac.key(ZOOM_SECRET.getBytes(StandardCharsets.UTF_8)), new byte[0],
      Buffer.buffer(plainToken)));
  }

  @Test
  void metaHubChallengeIsEchoedAsPlainText(VertxTestContext context) {
    hookcast.client().request(HttpMethod.GET, "/hooks/meta?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444")
      .send()
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertAnsweredByAppAndDeliveredToBoth(response, 200, "text/plain", "1158201444");
        assertEquals("/hooks/meta?hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444", audit.received().get(0).uri());
        context.completeNow();
      })));
  }

  /** Slack's request takes gzip: the primary, which would compress its answer, must not be asked to. */
  @Test
  void slackUrlVerificationGetsItsChallengeBackAsJson(VertxTestContext context) {
    JsonObject challenge = new JsonObject().put("token", "Jhj5dZrVaK7ZwHHjRyZWjbDl").put("type", "url_verification")
      .put("challenge", "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
    hookcast.client().post("/hooks/slack").putHeader("Accept-Encoding", "gzip, deflate").sendBuffer(challenge.toBuffer())
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertAnsweredByAppAndDeliveredToBoth(response, 200, "application/json", "{\"challenge\":\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\"}");
        assertEquals(challenge.encode(), audit.received().get(0).body().toString());
        context.completeNow();
      })));
  }

  @Test
  void microsoftGraphValidationTokenIsEchoedDecodedAsPlainText(VertxTestContext context) {
    hookcast.post("/hooks/graph?validationToken=Validation%3A%20Testing%20client%20application", "")
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertAnsweredByAppAndDeliveredToBoth(response, 200, "text/plain", "Validation: Testing client application");
        context.completeNow();
      })));
  }

  @Test
  void zoomEndpointUrlValidationGetsThePlainAndEncryptedTokens(VertxTestContext context) {
    JsonObject validation = new JsonObject().put("event", "endpoint.url_validation").put("event_ts", 1654503849680L)
      .put("payload", new JsonObject().put("plainToken", "qgg8vlvZRS6UYooatFL8Aw"));
    hookcast.post("/hooks/zoom", validation.encode())
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertAnsweredByAppAndDeliveredToBoth(response, 200, "application/json", new JsonObject().put("plainToken", "qgg8vlvZRS6UYooatFL8Aw")
          .put("encryptedToken", zoomEncrypted("qgg8vlvZRS6UYooatFL8Aw")).encode());
        context.completeNow();
      })));
  }

  @Test
  void dropboxChallengeIsEchoedWithNosniff(VertxTestContext context) {
    hookcast.client().request(HttpMethod.GET, "/hooks/dropbox?challenge=KCq5WZNQ").send()
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertAnsweredByAppAndDeliveredToBoth(response, 200, "text/plain", "KCq5WZNQ");
        assertEquals("nosniff", response.getHeader("X-Content-Type-Options"));
        context.completeNow();
      })));
  }

  @Test
  void aPrimaryStatusBelow500IsPassedOnEvenWhenItIsAFailure(VertxTestContext context) {
    hookcast.post("/hooks/unknown", "hello")
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertAnsweredByAppAndDeliveredToBoth(response, 400, null, "not a handshake");
        context.completeNow();
      })));
  }

  @Test
  void aPrimaryAnswering5xxGivesTheAggregateInstead(VertxTestContext context) {
    hookcast.post("/failing/x", "hello")
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(503, response.statusCode());
        JsonObject body = response.bodyAsJsonObject();
        assertEquals("down for maintenance", body.getJsonObject("failing").getString("body"));
        assertEquals(202, body.getJsonObject("audit").getInteger("status"));
        context.completeNow();
      })));
  }

  @Test
  void anUnreachablePrimaryGivesTheAggregateInstead(VertxTestContext context) {
    hookcast.post("/gone/x", "hello")
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(502, response.statusCode());
        JsonObject body = response.bodyAsJsonObject();
        assertEquals("connection refused", body.getJsonObject("gone").getString("error"));
        assertEquals(1, audit.received().size());
        context.completeNow();
      })));
  }

  @Test
  void hopByHopHeadersOfThePrimaryAreNotPassedOn(Vertx vertx, VertxTestContext context) {
    RecordingBackend.start(vertx, (request, body) -> request.response()
        .putHeader("Connection", "X-Hop")
        .putHeader("X-Hop", "between backend and Hookcast")
        .putHeader("Keep-Alive", "timeout=5")
        .putHeader("X-End-To-End", "kept")
        .end("ok"))
      .compose(hops -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("hops", hops.url()))
        .put("routes", new JsonArray().add(route("/", "hops")))))
      .compose(running -> {
        hookcast = running;
        return running.post("/x", "hello");
      })
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertVerbatim(response, 200, null, "ok");
        assertEquals("kept", response.getHeader("X-End-To-End"));
        assertNull(response.getHeader("X-Hop"));
        assertNull(response.getHeader("Keep-Alive"));
        context.completeNow();
      })));
  }

  /**
   * A primary's redirect took nothing (Hookcast follows none), and passed on its Location would point the sender at the
   * backend: the sender gets the aggregate, 502, as for any backend's redirect.
   */
  @Test
  void aPrimaryThatRedirectsGivesTheAggregateInstead(Vertx vertx, VertxTestContext context) {
    RecordingBackend.start(vertx, (request, body) -> request.response().setStatusCode(301)
        .putHeader("Location", "https://internal.example/webhook").end())
      .compose(moved -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("moved", moved.url()))
        .put("routes", new JsonArray().add(route("/", "moved")))))
      .compose(running -> {
        hookcast = running;
        return running.post("/x", "hello");
      })
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(502, response.statusCode());
        assertNull(response.getHeader("Location"));
        assertEquals(301, response.bodyAsJsonObject().getJsonObject("moved").getInteger("status"));
        context.completeNow();
      })));
  }

  /** Bytes that are not UTF-8 (a protobuf, a Latin-1 text) reach the sender as the primary sent them. */
  @Test
  void aBinaryAnswerOfThePrimaryReachesTheSenderByteForByte(Vertx vertx, VertxTestContext context) {
    Buffer binary = Buffer.buffer(new byte[] {0x00, (byte) 0xFF, (byte) 0xFE, (byte) 0x80})
      .appendString(" caf").appendByte((byte) 0xE9).appendString(" \u20ac");
    RecordingBackend.start(vertx, (request, body) -> request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream")
        .end(binary))
      .compose(bytes -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("bytes", bytes.url()))
        .put("routes", new JsonArray().add(route("/", "bytes")))))
      .compose(running -> {
        hookcast = running;
        return running.post("/x", "hello");
      })
      .onComplete(context.succeeding(response -> context.verify(() -> {
        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", response.getHeader(HttpHeaders.CONTENT_TYPE));
        assertEquals(HexFormat.of().formatHex(binary.getBytes()), HexFormat.of().formatHex(response.body().getBytes()));
        context.completeNow();
      })));
  }

  @Test
  void aPrimaryAnswerInSeveralChunksReachesTheSenderWhole(Vertx vertx, VertxTestContext context) {
    answeredInChunks(vertx, 65_536).onComplete(context.succeeding(sent -> context.verify(() -> {
      assertEquals(HexFormat.of().formatHex(chunks().getBytes()), HexFormat.of().formatHex(sent.getBytes()));
      context.completeNow();
    })));
  }

  @Test
  void aPrimaryAnswerInSeveralChunksIsCutAtTheLimitInsideALaterChunk(Vertx vertx, VertxTestContext context) {
    answeredInChunks(vertx, 750).onComplete(context.succeeding(sent -> context.verify(() -> {
      assertEquals(HexFormat.of().formatHex(chunks().getBytes(0, 750)), HexFormat.of().formatHex(sent.getBytes()));
      context.completeNow();
    })));
  }

  /** Four chunks of 300 bytes, each unlike the others, so that a chunk lost, repeated or out of order shows. */
  private static Buffer chunks() {
    Buffer all = Buffer.buffer();
    for (int i = 0; i < 1_200; i++) {
      all.appendByte((byte) (i * 7 + i / 300));
    }
    return all;
  }

  /** What the sender gets from a primary that writes {@link #chunks()} a chunk at a time, a little apart. */
  private Future<Buffer> answeredInChunks(Vertx vertx, int maxResponseBodyBytes) {
    Buffer all = chunks();
    return RecordingBackend.start(vertx, (request, body) -> {
        request.response().setChunked(true).putHeader(HttpHeaders.CONTENT_TYPE, "application/octet-stream");
        writeChunks(vertx, request, all, 0);
      })
      .compose(chunked -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("chunked", chunked.url()))
        .put("delivery", new JsonObject().put("maxResponseBodyBytes", maxResponseBodyBytes))
        .put("routes", new JsonArray().add(route("/", "chunked")))))
      .compose(running -> {
        hookcast = running;
        return running.post("/x", "hello");
      })
      .map(response -> {
        assertEquals(200, response.statusCode());
        assertEquals("application/octet-stream", response.getHeader(HttpHeaders.CONTENT_TYPE));
        return response.body();
      });
  }

  private static void writeChunks(Vertx vertx, HttpServerRequest request, Buffer all, int from) {
    if (from == all.length()) {
      request.response().end();
      return;
    }
    request.response().write(all.getBuffer(from, from + 300));
    vertx.setTimer(20, id -> writeChunks(vertx, request, all, from + 300));
  }

  private static void assertVerbatim(HttpResponse<Buffer> response, int status, String contentType, String body) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(contentType, response.getHeader(HttpHeaders.CONTENT_TYPE));
    assertEquals(body, response.bodyAsString());
    assertTrue(response.getHeader("X-Request-Id") != null);
  }

  /** The sender got the primary's response, and the other backend got the webhook all the same. */
  private void assertAnsweredByAppAndDeliveredToBoth(HttpResponse<Buffer> response, int status, String contentType, String body) {
    assertVerbatim(response, status, contentType, body);
    assertEquals(1, app.received().size());
    assertEquals(1, audit.received().size());
  }
}
