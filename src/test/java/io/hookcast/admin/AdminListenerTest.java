package io.hookcast.admin;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin listener, reachable from other machines for probes and scrapes, holds no connection for nobody. */
@ExtendWith(VertxExtension.class)
class AdminListenerTest {

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 200 ");

  @Test
  void aConnectionThatStopsHalfwayThroughItsRequestIsClosedAfterTheIdleTimeout(Vertx vertx) throws Exception {
    RunningHookcast hookcast = start(vertx);
    long start = System.nanoTime();
    Connection connection = Connection.open(vertx, hookcast.adminPort(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    connection.closed.future().await(15, TimeUnit.SECONDS);
    long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(closedAfterMs >= 1_500, "closed after " + closedAfterMs + " ms, before the idle timeout");
  }

  /** Netty's WebSocket handshake handler queues at most 128 pipelined requests; the operator API has no WebSockets. */
  @Test
  void threeHundredPipelinedProbesAreEachAnswered(Vertx vertx) throws Exception {
    RunningHookcast hookcast = start(vertx);
    String probe = "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    Connection connection = Connection.open(vertx, hookcast.adminPort(),
      probe.repeat(299) + "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    connection.closed.future().await(15, TimeUnit.SECONDS);
    Matcher answers = STATUS_LINE.matcher(connection.received);
    int answered = 0;
    while (answers.find()) {
      answered++;
    }
    assertEquals(300, answered);
  }

  private static RunningHookcast start(Vertx vertx) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url(), 500));
    config.getJsonObject("http").put("idleTimeoutMs", 2_000);
    return RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
  }

  private record Connection(StringBuffer received, Promise<Void> closed) {

    static Connection open(Vertx vertx, int port, String written) throws Exception {
      NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
      Connection connection = new Connection(new StringBuffer(), Promise.promise());
      socket.handler(bytes -> connection.received.append(bytes.toString(StandardCharsets.ISO_8859_1)));
      socket.closeHandler(v -> connection.closed.tryComplete());
      socket.write(Buffer.buffer(written));
      return connection;
    }
  }
}
