package io.hookcast.http;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class BodyLimitTest {

  private static final int LIMIT = 1024;

  private RecordingBackend backend;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok")
      .compose(started -> {
        backend = started;
        return RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("a", started.url()))
          .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("maxBodyBytes", LIMIT)));
      })
      .onComplete(context.succeeding(running -> {
        hookcast = running;
        context.completeNow();
      }));
  }

  @Test
  void refusesADeclaredOversizedBodyWith413BeforeReadingIt(Vertx vertx, VertxTestContext context) {
    HttpClient client = vertx.createHttpClient();
    // Declares a length over the limit and sends only a little: an answer proves the body was never awaited.
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(hookcast.port()).setURI("/")
        .putHeader("Content-Length", String.valueOf(LIMIT + 1)))
      .compose(request -> {
        request.write("a few bytes");
        return request.response();
      })
      .compose(response -> response.body().map(body -> new Object[] {response.statusCode(), body}))
      .onComplete(context.succeeding(answer -> context.verify(() -> {
        assertEquals(413, answer[0]);
        assertTrue(((Buffer) answer[1]).toJsonObject().getString("error").contains("maxBodyBytes"));
        assertEquals(0, backend.received().size());
        context.completeNow();
      })));
  }

  @Test
  void refusesAChunkedBodyThatGrowsPastTheLimitWith413(Vertx vertx, VertxTestContext context) {
    HttpClient client = vertx.createHttpClient();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(hookcast.port()).setURI("/"))
      .compose(request -> {
        request.setChunked(true);
        request.write("x".repeat(LIMIT));
        request.write("x".repeat(LIMIT));
        return request.response();
      })
      .map(HttpClientResponse::statusCode)
      .onComplete(context.succeeding(status -> context.verify(() -> {
        assertEquals(413, status);
        assertEquals(0, backend.received().size());
        context.completeNow();
      })));
  }

  @Test
  void acceptsABodyOfExactlyTheLimit(VertxTestContext context) {
    hookcast.post("/", "x".repeat(LIMIT)).onComplete(context.succeeding(response -> context.verify(() -> {
      assertEquals(200, response.statusCode());
      assertEquals(LIMIT, backend.received().get(0).body().length());
      context.completeNow();
    })));
  }
}
