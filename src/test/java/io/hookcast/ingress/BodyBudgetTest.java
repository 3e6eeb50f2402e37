package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The node's body budget (http.maxBufferedBytes) counts bytes received, not bytes declared. */
@ExtendWith(VertxExtension.class)
class BodyBudgetTest {

  /** Three senders declare 270 000 bytes between them, almost three times the budget, and send 300. */
  @Test
  void sendersThatDeclareLargeBodiesAndTrickleDoNotLockOutANormalWebhook(Vertx vertx) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url()));
    config.getJsonObject("http").put("maxBufferedBytes", 100_000).put("maxBodyBytes", 100_000);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);

    List<NetSocket> tricklers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NetSocket socket = vertx.createNetClient().connect(hookcast.port(), "127.0.0.1").await(5, TimeUnit.SECONDS);
      socket.write("POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 90000\r\n\r\n" + "x".repeat(100)).await(5, TimeUnit.SECONDS);
      tricklers.add(socket);
    }
    vertx.timer(200).await(5, TimeUnit.SECONDS);

    int status = hookcast.post("/", "y".repeat(30_000)).await(10, TimeUnit.SECONDS).statusCode();

    assertEquals(200, status, "a normal webhook was locked out by declared, unsent bodies");
    assertEquals(1, backend.received().size());
    for (NetSocket socket : tricklers) {
      socket.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void bytesThatArriveBeyondTheBudgetAreAnswered503(Vertx vertx) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url()));
    config.getJsonObject("http").put("maxBufferedBytes", 100_000).put("maxBodyBytes", 100_000);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
    NetSocket holder = vertx.createNetClient().connect(hookcast.port(), "127.0.0.1").await(5, TimeUnit.SECONDS);
    holder.write("POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 99000\r\n\r\n" + "x".repeat(95_000)).await(5, TimeUnit.SECONDS);
    vertx.timer(300).await(5, TimeUnit.SECONDS);

    int status = hookcast.post("/", "y".repeat(10_000)).await(10, TimeUnit.SECONDS).statusCode();

    assertEquals(503, status);
    assertEquals(0, backend.received().size());
    holder.close().await(5, TimeUnit.SECONDS);
  }
}
