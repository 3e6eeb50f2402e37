package io.hookcast.ingress;

import io.hookcast.config.HookcastConfig;
import io.hookcast.deadline.Deadlines;
import io.hookcast.route.BodyLimit;
import io.hookcast.testing.Configs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A body is held, for as long as its deliveries take, in about the memory the node's byte budget counts for it, not in
 * a buffer that growing by doubling left nearly twice its size.
 */
@ExtendWith(VertxExtension.class)
class BoundedBodyTest {

  /** Just past a power of two: doubling would leave a 4 MiB buffer. */
  private static final int LENGTH = 2 * 1024 * 1024 + 1;
  private static final int PIECE = 64 * 1024;
  private static final BodyLimit LIMIT = new BodyLimit(25 * 1024 * 1024, "http.maxBodyBytes", 1);

  @Test
  void aBodyOfDeclaredLengthIsHeldInABufferOfExactlyItsSize(Vertx vertx) throws Exception {
    Buffer sent = randomBody();

    Buffer read = readOnce(vertx, request -> request.putHeader("Content-Length", String.valueOf(LENGTH)), sent);

    assertEquals(sent, read);
    assertEquals(LENGTH, capacity(read), "capacity of the buffer holding a declared " + LENGTH + "-byte body");
  }

  /** A buffer a quarter empty or more is copied into one of the body's size: what is kept is at most a third larger. */
  @Test
  void aChunkedBodyIsHeldInABufferAtMostAThirdLargerThanItself(Vertx vertx) throws Exception {
    Buffer sent = randomBody();

    Buffer read = readOnce(vertx, request -> request.setChunked(true), sent);

    assertEquals(sent, read);
    assertTrue(capacity(read) <= LENGTH + LENGTH / 3, "capacity " + capacity(read) + " for a " + LENGTH + "-byte body");
  }

  /**
   * Budget 5 MiB, another webhook holding 2.5 MiB: the 2 MiB + 1 bytes of a chunked body fit, but not the buffer of at
   * least 2 MiB that comes to hold them together with the one of half its size it is copied from.
   */
  @Test
  void aBufferThatWouldGrowPastTheBudgetIsRefused503ThoughTheBytesInItFit(Vertx vertx) throws Exception {
    JsonObject config = Configs.withBackends(Configs.backend("b", "http://127.0.0.1:1/"));
    config.getJsonObject("http").put("maxBufferedBytes", 5 * 1024 * 1024).put("maxBodyBytes", 3 * 1024 * 1024);
    IngressLimits limits = new IngressLimits(HookcastConfig.fromJson(config).http());
    assertTrue(limits.acquire().reserve(5 * 512 * 1024));

    Future<Buffer> read = read(vertx, limits, LIMIT, request -> request.setChunked(true), randomBody());

    Refusal refusal = assertThrows(Refusal.class, () -> read.await(10, TimeUnit.SECONDS));
    assertEquals(503, refusal.status, refusal.getMessage());
  }

  /**
   * Budget 5 MiB, another webhook holding 0.5 MiB, a limit of exactly the body's 2 MiB + 1: a buffer doubled past the
   * limit (4 MiB, with the 2 MiB one it is copied from) would not fit, one of at most the limit does.
   */
  @Test
  void aChunkedBodyIsNeverHeldInABufferLargerThanTheLimit(Vertx vertx) throws Exception {
    JsonObject config = Configs.withBackends(Configs.backend("b", "http://127.0.0.1:1/"));
    config.getJsonObject("http").put("maxBufferedBytes", 5 * 1024 * 1024).put("maxBodyBytes", 3 * 1024 * 1024);
    IngressLimits limits = new IngressLimits(HookcastConfig.fromJson(config).http());
    assertTrue(limits.acquire().reserve(512 * 1024));
    Buffer sent = randomBody();

    Buffer read = read(vertx, limits, new BodyLimit(LENGTH, "http.maxBodyBytes", 1), request -> request.setChunked(true), sent)
      .await(10, TimeUnit.SECONDS);

    assertEquals(sent, read);
    assertTrue(capacity(read) <= LENGTH, "capacity " + capacity(read) + " for a " + LENGTH + "-byte body at its limit");
  }

  private static Buffer randomBody() {
    byte[] bytes = new byte[LENGTH];
    ThreadLocalRandom.current().nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  /** Sends {@code body} in 64 KiB pieces to a server that reads it as the ingress does, and gives what it read. */
  private static Buffer readOnce(Vertx vertx, Function<HttpClientRequest, HttpClientRequest> framing, Buffer body) throws Exception {
    IngressLimits limits = new IngressLimits(HookcastConfig.fromJson(Configs.withBackends(Configs.backend("b", "http://127.0.0.1:1/"))).http());
    return read(vertx, limits, LIMIT, framing, body).await(10, TimeUnit.SECONDS);
  }

  /** What a server reading as the ingress does made of {@code body}, or why it refused it. */
  private static Future<Buffer> read(Vertx vertx, IngressLimits limits, BodyLimit limit,
                                     Function<HttpClientRequest, HttpClientRequest> framing, Buffer body) throws Exception {
    Promise<Buffer> read = Promise.promise();
    HttpServer server = vertx.createHttpServer().requestHandler(request ->
        BoundedBody.read(new Deadlines(vertx), request, limit, limits.acquire(), 30_000).onComplete(ar -> {
          read.handle(ar);
          request.response().end();
        }))
      .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    try {
      HttpClientRequest request = framing.apply(client.request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/")
        .await(10, TimeUnit.SECONDS));
      for (int at = 0; at < body.length(); at += PIECE) {
        request.write(body.slice(at, Math.min(at + PIECE, body.length())));
      }
      // A refused body's sender is answered before it has written all of it: how its request ends is not the point.
      request.end().compose(v -> request.response()).transform(ar -> Future.succeededFuture()).await(30, TimeUnit.SECONDS);
      read.future().transform(ar -> Future.succeededFuture()).await(10, TimeUnit.SECONDS);
      return read.future();
    } finally {
      client.close().await(10, TimeUnit.SECONDS);
      server.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static int capacity(Buffer buffer) {
    // The buffer Vert.x hands out is a slice of the one that holds the bytes.
    return ((BufferInternal) buffer).getByteBuf().unwrap().capacity();
  }
}
