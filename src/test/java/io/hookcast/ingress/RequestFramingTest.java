package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RawSocket;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests whose length is ambiguous (RFC 9112 section 6.3): one answer, then the connection is closed, and
 * nothing written after them is processed. Each carries a second request that a server disagreeing about the
 * length would take for a new one.
 */
@ExtendWith(VertxExtension.class)
class RequestFramingTest {

  private static final String SMUGGLED = "POST /smuggled HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 4\r\n\r\nevil";

  private RecordingBackend backend;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("b", backend.url())))
      .await(10, TimeUnit.SECONDS);
  }

  /** Netty refuses this one itself, rather than read the body as chunked and drop the Content-Length. */
  @Test
  void chunkedWithContentLengthIsAnswered400NamingTheConflictAndThePipelinedRequestIsNeverForwarded(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = assertRefusedAlone(vertx, 400, "POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 5\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED);
    assertTrue(answer.body().contains("both Transfer-Encoding and Content-Length"), answer.toString());
  }

  /** Vert.x writes {@code Connection: keep-alive} on an HTTP/1.0 answer to a keep-alive request; it closes anyway. */
  @Test
  void chunkedWithContentLengthOnHttp10IsAnswered400NamingTransferEncoding(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = assertRefusedAlone(vertx, 400, "POST / HTTP/1.0\r\nHost: hookcast\r\nConnection: keep-alive\r\n"
      + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED);
    assertTrue(answer.body().contains("Transfer-Encoding, which only HTTP/1.1 defines"), answer.toString());
  }

  @Test
  void anotherTransferCodingWithContentLengthIsAnswered400(Vertx vertx) throws Exception {
    assertRefusedAlone(vertx, 400, "POST / HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 5\r\nTransfer-Encoding: gzip\r\n\r\n"
      + "hello" + SMUGGLED);
  }

  @Test
  void aTransferCodingOtherThanChunkedIsAnswered501(Vertx vertx) throws Exception {
    assertRefusedAlone(vertx, 501, "POST / HTTP/1.1\r\nHost: hookcast\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n" + SMUGGLED);
  }

  /** Refusing ambiguous framing changes nothing for honest senders, pipelining included. */
  @Test
  void chunkedBodiesAndPipelinedRequestsStillWork(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(),
      "POST /first HTTP/1.1\r\nHost: hookcast\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        + "POST /second HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 5\r\nConnection: close\r\n\r\nworld", 10_000);
    assertEquals(2, answer.answers(), answer + " backend: " + backend.received());
    assertEquals(List.of("/first", "/second"), backend.received().stream().map(RecordingBackend.Received::uri).toList());
    assertEquals("hello", backend.received().get(0).body().toString());
  }

  /** Netty's WebSocket handshake handler queues at most 128 pipelined requests; a webhook endpoint has no WebSockets. */
  @Test
  void threeHundredPipelinedWebhooksAreEachAnswered(Vertx vertx) throws Exception {
    String webhook = "POST /p HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 2\r\n\r\n{}";
    String closing = "POST /p HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), webhook.repeat(299) + closing, 20_000);
    assertEquals(300, answer.answers(), answer.closedByServer() + " " + answer.failure());
    assertEquals(300, backend.received().size());
  }

  private RawSocket.Exchange assertRefusedAlone(Vertx vertx, int status, String request) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), request, 5_000);
    assertEquals(status, answer.status(), answer.toString());
    assertEquals(1, answer.answers(), "more than one answer on the connection: " + answer);
    if (request.substring(0, request.indexOf("\r\n")).endsWith("HTTP/1.1")) {
      assertEquals("close", answer.header("connection"), answer.toString());
    }
    assertTrue(answer.closedByServer(), answer.toString());
    assertFalse(answer.body().isEmpty(), answer.toString());
    assertNull(answer.failure(), answer.toString());
    assertEquals(List.of(), backend.received(), "a request reached the backend");
    return answer;
  }
}
