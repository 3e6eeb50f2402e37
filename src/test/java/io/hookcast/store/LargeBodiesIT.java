package io.hookcast.store;

import io.hookcast.testing.AsyncWebhooks;
import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.HookcastProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every body Hookcast admits works on an async route with the JVM settings it ships ({@code bin/hookcast}): webhooks
 * of the default {@code http.maxBodyBytes} (25 MiB), six at once, are accepted and delivered byte for byte, while
 * small webhooks keep flowing beside them.
 */
class LargeBodiesIT {

  private static final int LARGE = 25 * 1024 * 1024;
  private static final int LARGE_WEBHOOKS = 6;
  private static final int SMALL_WEBHOOKS = 200;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(16));
  private final List<HttpServer> servers = new ArrayList<>();
  private HookcastProcess hookcast;

  @AfterEach
  void stop() throws Exception {
    if (hookcast != null) {
      hookcast.close();
    }
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void sixConcurrentWebhooksOfTheLargestAllowedBodyAreAcceptedAndDeliveredByteExactBesideSmallOnes(@TempDir Path dir)
    throws Exception {
    Map<String, String> atOne = new ConcurrentHashMap<>();
    Map<String, String> atTwo = new ConcurrentHashMap<>();
    int one = hashingBackend(atOne);
    int two = hashingBackend(atTwo);
    int port = HookcastProcess.freePort();
    Path config = Files.writeString(dir.resolve("hookcast.json"), Configs.withBackends(
        Configs.backend("one", "http://127.0.0.1:" + one + "/", 20_000), Configs.backend("two", "http://127.0.0.1:" + two + "/", 20_000))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port).put("accessLog", false))
      .put("routes", AsyncWebhooks.asyncRoute("/large", "one", "two"))
      .put("store", new JsonObject().put("path", dir.resolve("data").toString()))
      .encodePrettily());
    hookcast = HookcastProcess.startWithLauncherScript(Map.of("HOOKCAST_CDS", "off"), "-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", 90, TimeUnit.SECONDS);

    Map<String, String> sent = new ConcurrentHashMap<>();
    List<Future<Integer>> large = new ArrayList<>();
    for (int i = 0; i < LARGE_WEBHOOKS; i++) {
      large.add(send(port, randomBody(LARGE), sent));
    }
    List<Future<Integer>> small = new ArrayList<>();
    for (int i = 0; i < SMALL_WEBHOOKS; i++) {
      small.add(send(port, randomBody(1024), sent));
    }
    for (Future<Integer> status : large) {
      assertEquals(202, status.await(120, TimeUnit.SECONDS), hookcast.output());
    }
    for (Future<Integer> status : small) {
      assertEquals(202, status.await(120, TimeUnit.SECONDS), hookcast.output());
    }

    assertEquals(LARGE_WEBHOOKS + SMALL_WEBHOOKS, sent.size());
    for (Map<String, String> received : List.of(atOne, atTwo)) {
      Eventually.until(Duration.ofSeconds(90), () -> received.size() >= sent.size(),
        () -> received.size() + " of " + sent.size() + " delivered; output:\n" + hookcast.output());
      assertEquals(sent, received, "a backend received a body other than the one sent");
    }
    assertTrue(!hookcast.output().contains("OutOfMemoryError"), hookcast.output());
    // For the docs' memory figure: the process's peak resident set (bin/hookcast execs the JVM, same pid).
    Files.readAllLines(Path.of("/proc", String.valueOf(hookcast.pid()), "status")).stream()
      .filter(line -> line.startsWith("VmHWM")).forEach(line -> System.out.println("LargeBodiesIT: peak RSS " + line));
  }

  /** Answers 200 once the body is in, keeping only its SHA-256 under its message id. */
  private int hashingBackend(Map<String, String> received) throws Exception {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      MessageDigest digest = sha256();
      request.handler(chunk -> digest.update(chunk.getBytes()));
      request.endHandler(v -> {
        received.put(request.getHeader("X-Hookcast-Message-Id"), HexFormat.of().formatHex(digest.digest()));
        request.response().end();
      });
    });
    servers.add(server);
    return server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
  }

  /** Posts {@code body}; on a 202 records its digest under the message id Hookcast answered with. */
  private Future<Integer> send(int port, byte[] body, Map<String, String> sent) {
    String digest = HexFormat.of().formatHex(sha256().digest(body));
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/large/push"))
      .compose(request -> request.send(Buffer.buffer(body)))
      .compose(response -> response.body().map(answer -> {
        if (response.statusCode() == 202) {
          sent.put(response.getHeader("X-Hookcast-Message-Id"), digest);
        }
        return response.statusCode();
      }));
  }

  private static byte[] randomBody(int size) {
    byte[] body = new byte[size];
    ThreadLocalRandom.current().nextBytes(body);
    return body;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
