package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RawSocket;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Oversized request heads are answered (431, 414) with {@code Connection: close} and a JSON error before the close. */
@ExtendWith(VertxExtension.class)
class HeaderLimitsTest {

  private RecordingBackend backend;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url()));
    config.getJsonObject("http").put("maxHeaderBytes", 4_096).put("maxHeaderCount", 20);
    hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
  }

  @Test
  void headersLargerThanMaxHeaderBytesAreAnswered431(Vertx vertx) throws Exception {
    assertRefused(vertx, 431, "POST / HTTP/1.1\r\nHost: hookcast\r\nX-Padding: " + "a".repeat(5_000) + "\r\nContent-Length: 2\r\n\r\n{}");
  }

  /**
   * The sender is still writing megabytes of headers when the answer goes out; the answer still arrives whole.
   * A blocking socket on the test thread, to read exactly what arrives before the connection ends.
   */
  @Test
  void aSenderStillWritingAHeaderFloodReadsThe431() throws Exception {
    StringBuilder flood = new StringBuilder("GET / HTTP/1.1\r\nHost: hookcast\r\n");
    for (int i = 0; i < 40_000; i++) {
      flood.append("X-Flood-").append(i).append(": ").append("b".repeat(40)).append("\r\n");
    }
    byte[] bytes = flood.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    try (Socket socket = new Socket("127.0.0.1", hookcast.port())) {
      socket.setSoTimeout(10_000);
      Thread writer = new Thread(() -> {
        try {
          socket.getOutputStream().write(bytes);
        } catch (IOException closedWhileWriting) {
          // Expected once Hookcast closes: the rest of the flood is never needed.
        }
      });
      writer.start();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          answer.write(buffer, 0, n);
        }
      } catch (SocketException resetAfterTheAnswer) {
        // Vert.x closes as soon as the answer is written, with the flood unread; see InvalidRequests.
      }
      writer.join(10_000);
      String received = answer.toString(StandardCharsets.ISO_8859_1);
      assertTrue(received.startsWith("HTTP/1.1 431 ") && received.endsWith("(http.maxHeaderBytes)\"}"), received);
    }
    assertEquals(List.of(), backend.received());
  }

  @Test
  void moreHeaderFieldsThanMaxHeaderCountAreAnswered431(Vertx vertx) throws Exception {
    StringBuilder request = new StringBuilder("POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 2\r\n");
    for (int i = 0; i < 25; i++) {
      request.append("X-H").append(i).append(": v\r\n");
    }
    assertRefused(vertx, 431, request.append("\r\n{}").toString());
  }

  @Test
  void anOverlongRequestLineIsAnswered414(Vertx vertx) throws Exception {
    assertRefused(vertx, 414, "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: hookcast\r\n\r\n");
  }

  @Test
  void headersWithinTheLimitsAreServed(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), "POST / HTTP/1.1\r\nHost: hookcast\r\nX-Padding: "
      + "a".repeat(3_000) + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 5_000);
    assertEquals(200, answer.status(), answer.toString());
    assertEquals(1, backend.received().size());
  }

  private void assertRefused(Vertx vertx, int status, String request) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), request, 5_000);
    assertEquals(status, answer.status(), answer.toString());
    assertEquals(1, answer.answers(), answer.toString());
    assertEquals("close", answer.header("connection"), answer.toString());
    assertTrue(new JsonObject(answer.body()).containsKey("error"), answer.toString());
    assertTrue(answer.closedByServer(), answer.toString());
    assertNull(answer.failure(), "the connection was reset: " + answer);
    assertEquals(List.of(), backend.received());
  }
}
