package io.hookcast.ingress;

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

  /** The sender keeps sending its oversized body; the 413 must still reach it rather than a connection reset. */
  @Test
  void aSenderStreamingAnOversizedBodyReadsThe413(Vertx vertx, VertxTestContext context) {
    vertx.createNetClient().connect(hookcast.port(), "127.0.0.1").onComplete(context.succeeding(socket -> {
      StringBuilder answer = new StringBuilder();
      socket.handler(bytes -> {
        answer.append(bytes.toString());
        if (answer.indexOf("\r\n\r\n") >= 0) {
          context.verify(() -> {
            assertTrue(answer.toString().startsWith("HTTP/1.1 413"), answer.toString());
            context.completeNow();
          });
        }
      });
      socket.closeHandler(v -> context.verify(() -> assertTrue(answer.indexOf("413") >= 0, "closed before the answer: " + answer)));
      socket.write("POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: " + (LIMIT * 1000) + "\r\n\r\n");
      Buffer chunk = Buffer.buffer("z".repeat(LIMIT));
      vertx.setPeriodic(1, id -> {
        if (socket.writeQueueFull()) {
          return;
        }
        socket.write(chunk).onFailure(failure -> vertx.cancelTimer(id));
      });
    }));
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
