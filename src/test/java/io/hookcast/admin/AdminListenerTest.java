package io.hookcast.admin;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RawSocket;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin listener, reachable from other machines for probes and scrapes, holds no connection for nobody. */
@ExtendWith(VertxExtension.class)
class AdminListenerTest {

  @Test
  void aConnectionThatStopsHalfwayThroughItsRequestIsClosedAfterTheIdleTimeout(Vertx vertx) throws Exception {
    RunningHookcast hookcast = start(vertx);
    long start = System.nanoTime();
    RawSocket.Exchange exchange = RawSocket.exchange(vertx, hookcast.adminPort(),
      "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 15_000);
    long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(exchange.closedByServer(), "still open after 15 s: " + exchange);
    assertTrue(closedAfterMs >= 1_500, "closed after " + closedAfterMs + " ms, before the idle timeout");
  }

  /** Netty's WebSocket handshake handler queues at most 128 pipelined requests; the operator API has no WebSockets. */
  @Test
  void threeHundredPipelinedProbesAreEachAnswered(Vertx vertx) throws Exception {
    RunningHookcast hookcast = start(vertx);
    String probe = "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    RawSocket.Exchange exchange = RawSocket.exchange(vertx, hookcast.adminPort(),
      probe.repeat(299) + "GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 15_000);
    assertEquals(300, exchange.answers(), exchange.closedByServer() + " " + exchange.failure());
    assertEquals(200, exchange.status());
  }

  private static RunningHookcast start(Vertx vertx) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url(), 500));
    config.getJsonObject("http").put("idleTimeoutMs", 2_000);
    return RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
  }
}
