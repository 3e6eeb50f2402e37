package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RawSocket;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Expect} (RFC 9110 section 10.1.1): {@code 100-continue} is met with a {@code 100 Continue} before the body
 * is sent, only once the webhook is taken and only to a sender that speaks HTTP/1.1; any other expectation is refused.
 */
@ExtendWith(VertxExtension.class)
class ExpectationsTest {

  private RecordingBackend backend;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url()))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/hooks").put("backends", new JsonArray().add("b"))));
    hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
  }

  @Test
  void anExpectationOtherThan100ContinueIsAnswered417BeforeAnyBackend(Vertx vertx) throws Exception {
    for (String expectation : List.of("bar", "100-continue, x-y")) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), "POST /hooks HTTP/1.1\r\nHost: hookcast\r\n"
        + "Expect: " + expectation + "\r\nContent-Length: 2\r\n\r\n{}", 5_000);
      assertEquals(417, answer.status(), answer.toString());
      assertEquals(1, answer.answers(), answer.toString());
      assertTrue(new JsonObject(answer.body()).containsKey("error"), answer.toString());
      assertTrue(answer.closedByServer(), answer.toString());
    }
    assertEquals(List.of(), backend.received());
  }

  /** {@code Expect} is a list (RFC 9110): empty, or with an empty element, it asks for nothing more. */
  @Test
  void anEmptyExpectationListIsNoExpectation(Vertx vertx) throws Exception {
    RawSocket.Exchange empty = RawSocket.exchange(vertx, hookcast.port(), "POST /hooks HTTP/1.1\r\nHost: hookcast\r\n"
      + "Expect: \r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 5_000);
    assertEquals(200, empty.status(), empty.toString());
    assertEquals(1, empty.answers(), empty.toString());
    RawSocket.Exchange trailingComma = RawSocket.exchange(vertx, hookcast.port(), "POST /hooks HTTP/1.1\r\nHost: hookcast\r\n"
      + "Expect: 100-continue,\r\nContent-Length: 2\r\nConnection: close\r\n\r\n", "\r\n\r\n", "{}", 5_000);
    assertTrue(trailingComma.received().startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 "), trailingComma.toString());
    assertEquals(2, backend.received().size());
  }

  /** RFC 9110 section 15.2: no 1xx to an HTTP/1.0 client, which would read the 100 as the answer. */
  @Test
  void anHttp10SenderExpecting100ContinueGetsOnlyTheAnswer(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), "POST /hooks HTTP/1.0\r\nHost: hookcast\r\n"
      + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n{}", 5_000);
    assertEquals(200, answer.status(), answer.toString());
    assertEquals(1, answer.answers(), answer.toString());
    assertEquals(1, backend.received().size());
  }

  /** Any letter case, any spaces around it. */
  @Test
  void anHttp11SenderExpecting100ContinueHearsItBeforeSendingTheBody(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), "POST /hooks HTTP/1.1\r\nHost: hookcast\r\n"
      + "Expect:  100-Continue \r\nContent-Length: 2\r\nConnection: close\r\n\r\n", "\r\n\r\n", "{}", 5_000);
    assertTrue(answer.received().startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 "), answer.toString());
    assertEquals("{}", backend.received().get(0).body().toString());
  }

  @Test
  void aWebhookNoRouteTakesIsAnswered404WithoutA100(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), "POST /elsewhere HTTP/1.1\r\nHost: hookcast\r\n"
      + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n", "\r\n\r\n", "{}", 5_000);
    assertEquals(404, answer.status(), answer.toString());
    assertEquals(1, answer.answers(), answer.toString());
    assertEquals(List.of(), backend.received());
  }
}
