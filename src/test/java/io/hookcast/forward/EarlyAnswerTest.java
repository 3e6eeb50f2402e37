package io.hookcast.forward;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A backend that answers a large webhook at its head (a 413, a 401) and then reads no more of the body keeps no
 * connection from the webhooks after it.
 */
@ExtendWith(VertxExtension.class)
class EarlyAnswerTest {

  /** More than loopback's socket buffers on both sides take while the backend reads nothing. */
  private static final int LARGE_BYTES = 24 << 20;
  private static final String TOO_LARGE = "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n";

  @Test
  void aBackendThatAnswersBeforeReadingTheBodyAndStopsReadingDoesNotKeepItsOnlyConnection(Vertx vertx) throws Exception {
    AtomicInteger connections = new AtomicInteger();
    NetServer backend = vertx.createNetServer().connectHandler(socket -> {
      connections.incrementAndGet();
      Buffer head = Buffer.buffer();
      socket.handler(chunk -> {
        head.appendBuffer(chunk);
        if (head.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
          // Answered at the head, then not another byte read, and the connection left open.
          socket.pause();
          socket.write(TOO_LARGE);
        }
      });
    });
    backend.listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("early", "http://127.0.0.1:" + backend.actualPort(), 2_000)
      .put("maxConnections", 1)
      .put("retry", new JsonObject().put("maxAttempts", 1)));
    config.getJsonObject("http").put("maxBodyBytes", 32 << 20);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);

    JsonObject large = hookcast.post("/", Buffer.buffer(new byte[LARGE_BYTES])).await(10, TimeUnit.SECONDS)
      .bodyAsJsonObject().getJsonObject("early");
    JsonObject next = hookcast.post("/", "small").await(10, TimeUnit.SECONDS).bodyAsJsonObject().getJsonObject("early");

    assertEquals(413, large.getInteger("status"), large.encode());
    assertEquals(413, next.getInteger("status"), "the next webhook, with the only connection kept busy: " + next.encode());
    assertEquals(2, connections.get());
  }
}
