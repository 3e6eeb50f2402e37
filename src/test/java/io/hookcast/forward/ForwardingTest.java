package io.hookcast.forward;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RecordingBackend.Received;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every backend receives: the webhook as sent, less hop-by-hop headers, plus X-Forwarded-* and a request id. */
@ExtendWith(VertxExtension.class)
class ForwardingTest {

  @Test
  void forwardsMethodPathQueryAndEndToEndHeadersToEveryBackend(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 200, "a"), RecordingBackend.answering(vertx, 200, "b"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.named(all.list(), "a", "b"))
          // A route that takes PUT: the method a webhook came with is the one backends get.
          .put("routes", new JsonArray().add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("a").add("b"))
            .put("methods", new JsonArray().add("POST").add("PUT")))))
        .compose(hookcast -> hookcast.client().request(HttpMethod.PUT, "/webhook/github?a=1&b=%20x")
          .putHeader("X-GitHub-Event", "push")
          .putHeader("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958")
          .putHeader("X-Hub-Signature-256", "sha256=abc")
          .putHeader("Stripe-Signature", "t=1,v1=def")
          .putHeader("Content-Type", "application/json")
          .putHeader("X-Request-Id", "req-42")
          .sendBuffer(Buffer.buffer("{\"zen\":\"Keep it logically awesome.\"}")))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals(200, response.statusCode());
          assertEquals("req-42", response.getHeader("X-Request-Id"));
          for (int i = 0; i < 2; i++) {
            RecordingBackend backend = all.resultAt(i);
            assertEquals(1, backend.received().size());
            Received received = backend.received().get(0);
            assertEquals("PUT", received.method());
            assertEquals("/webhook/github?a=1&b=%20x", received.uri());
            assertEquals("push", received.headers().get("X-GitHub-Event"));
            assertEquals("72d3162e-cc78-11e3-81ab-4c9367dc0958", received.headers().get("X-GitHub-Delivery"));
            assertEquals("sha256=abc", received.headers().get("X-Hub-Signature-256"));
            assertEquals("t=1,v1=def", received.headers().get("Stripe-Signature"));
            assertEquals("application/json", received.headers().get("Content-Type"));
            assertEquals("req-42", received.headers().get("X-Request-Id"));
            assertEquals("{\"zen\":\"Keep it logically awesome.\"}", received.body().toString());
          }
          context.completeNow();
        }))));
  }

  @Test
  void dropsHopByHopHeadersAndAddsForwardedHeaders(Vertx vertx, VertxTestContext context) {
    HttpClient raw = vertx.createHttpClient();
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("a", backend.url())))
        .compose(hookcast -> raw.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(hookcast.port()).setURI("/hook")
            .putHeader("Host", "hooks.example.com")
            .putHeader("Connection", "keep-alive, X-Private-Hop")
            .putHeader("X-Private-Hop", "secret")
            .putHeader("Keep-Alive", "timeout=5")
            .putHeader("TE", "trailers")
            .putHeader("Trailer", "X-Checksum")
            .putHeader("Upgrade", "websocket")
            .putHeader("Proxy-Authorization", "Basic Zm9vOmJhcg==")
            .putHeader("Proxy", "http://evil.example:3128")
            // From a Hookcast in front: what this one's backends deduplicate that one's retries by.
            .putHeader("X-Hookcast-Message-Id", "01a2475d-upstream")
            .putHeader("X-Forwarded-For", "203.0.113.7")
            // Read as text and a primary's passed on as it came: a compressed answer would be garbled.
            .putHeader("Accept-Encoding", "gzip, br"))
          .compose(request -> request.send("chunk"))
          .compose(response -> response.body().map(response.statusCode())))
        .onComplete(context.succeeding(status -> context.verify(() -> {
          assertEquals(200, status);
          Received received = backend.received().get(0);
          for (String hop : new String[] {"X-Private-Hop", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy"}) {
            assertNull(received.headers().get(hop), hop + " was forwarded");
          }
          assertTrue(received.headers().get("Host").startsWith("127.0.0.1:"), received.headers().get("Host"));
          assertEquals("203.0.113.7, 127.0.0.1", received.headers().get("X-Forwarded-For"));
          assertEquals("01a2475d-upstream", received.headers().get("X-Hookcast-Message-Id"));
          assertEquals("http", received.headers().get("X-Forwarded-Proto"));
          assertEquals("hooks.example.com", received.headers().get("X-Forwarded-Host"));
          assertNotNull(received.headers().get("X-Request-Id"));
          assertEquals(List.of("identity"), received.headers().getAll("Accept-Encoding"));
          assertEquals("chunk", received.body().toString());
          context.completeNow();
        }))));
  }

  @Test
  void everyBackendGetsTheSameGeneratedRequestId(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 200, "a"), RecordingBackend.answering(vertx, 200, "b"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.named(all.list(), "a", "b")))
        .compose(hookcast -> hookcast.post("/", "x"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          String id = response.getHeader("X-Request-Id");
          assertNotNull(id);
          assertEquals(id, all.<RecordingBackend>resultAt(0).received().get(0).headers().get("X-Request-Id"));
          assertEquals(id, all.<RecordingBackend>resultAt(1).received().get(0).headers().get("X-Request-Id"));
          context.completeNow();
        }))));
  }

  @Test
  void appendsTheWebhookPathToTheBackendBasePath(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(backend -> RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("a", backend.url() + "hooks/")))
        .compose(hookcast -> hookcast.post("/github?event=push", "x"))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals("/hooks/github?event=push", backend.received().get(0).uri());
          context.completeNow();
        }))));
  }

  @Test
  void deliversA20MiBRandomBodyByteForByteToEveryBackend(Vertx vertx, VertxTestContext context) {
    byte[] payload = new byte[20 * 1024 * 1024];
    new Random(20).nextBytes(payload);
    Future.all(RecordingBackend.answering(vertx, 200, "a"), RecordingBackend.answering(vertx, 200, "b"))
      .compose(all -> RunningHookcast.deploy(vertx, Configs.withBackends(
          Configs.named(all.list(), "a", "b")))
        .compose(hookcast -> hookcast.post("/", Buffer.buffer(payload)))
        .onComplete(context.succeeding(response -> context.verify(() -> {
          assertEquals(200, response.statusCode());
          for (int i = 0; i < 2; i++) {
            RecordingBackend backend = all.resultAt(i);
            assertEquals(1, backend.received().size());
            assertArrayEquals(payload, backend.received().get(0).body().getBytes());
          }
          context.completeNow();
        }))));
  }
}
