package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RawSocket;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request targets and methods a hostile sender writes, sent as raw bytes to a running ingress. */
@ExtendWith(VertxExtension.class)
class HostileRequestTest {

  private RecordingBackend backend;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("b", backend.url() + "hooks/")))
      .await(10, TimeUnit.SECONDS);
  }

  @Test
  void targetsNotInOriginFormOrLeavingTheBasePathAreAnswered400AndReachNoBackend(Vertx vertx) throws Exception {
    List<String> targets = List.of("http://evil.example/x", "evil.example:443", "*", "//evil.example/x",
      "/a/../../admin", "/a/%2e%2e/%2e%2e/admin", "/a/%252e%252e/admin", "/a\\..\\..\\admin", "/%2f%2fevil.example/x",
      "/a%00b", "/a%0d%0aX-Injected:%20yes");
    for (String target : targets) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(),
        "GET " + target + " HTTP/1.1\r\nHost: hookcast\r\n\r\n", 3_000);
      assertEquals(400, answer.status(), target + ": " + answer);
      assertEquals("application/json", answer.header("content-type"), target + ": " + answer);
      assertFalse(new JsonObject(answer.body()).getString("error").isBlank(), target + ": " + answer);
      assertEquals("close", answer.header("connection"), target + ": " + answer);
      assertTrue(answer.closedByServer(), target + ": " + answer);
    }
    assertEquals(List.of(), backend.received(), "a hostile target reached the backend");
  }

  @Test
  void anHttp11RequestWithoutAHostOrOneWithTwoOrOneThatIsNoHostIsAnswered400AndReachesNoBackend(Vertx vertx) throws Exception {
    Map<String, String> requests = Map.of(
      "no Host", "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
      "two", "POST /x HTTP/1.1\r\nHost: hookcast\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\n{}",
      "a path", "POST /x HTTP/1.1\r\nHost: evil.example/login\r\nContent-Length: 2\r\n\r\n{}",
      "a space", "POST /x HTTP/1.1\r\nHost: evil example\r\nContent-Length: 2\r\n\r\n{}",
      "a percent-encoded name", "POST /x HTTP/1.1\r\nHost: a%41b\r\nContent-Length: 2\r\n\r\n{}");
    for (Map.Entry<String, String> request : requests.entrySet()) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), request.getValue(), 3_000);
      assertEquals(400, answer.status(), request.getKey() + ": " + answer);
      assertTrue(new JsonObject(answer.body()).getString("error").contains("Host"), request.getKey() + ": " + answer);
    }
    assertEquals(List.of(), backend.received(), "a request without one host reached the backend");
  }

  @Test
  void anHttp10RequestNeedsNoHostAndAnAddressOrAPortIsAHost(Vertx vertx) throws Exception {
    for (String request : List.of("POST /a HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}",
      "POST /b HTTP/1.1\r\nHost: [::1]:8080\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
      "POST /c HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), request, 3_000);
      assertEquals(200, answer.status(), request + ": " + answer);
    }
    assertEquals(List.of("/hooks/a", "/hooks/b", "/hooks/c"), backend.received().stream().map(RecordingBackend.Received::uri).toList());
  }

  /** The request line's bytes 0x85 (NEL, a line break to some log readers) and 0x9B (CSI, a terminal's escape). */
  @Test
  void controlCharactersInARefusedTargetReachTheLogEscaped(Vertx vertx) throws Exception {
    try (LogCapture log = LogCapture.of("io.hookcast.webhook")) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(),
        "DELETE /github\u009b2J\u0085\u00a0forged HTTP/1.1\r\nHost: hookcast\r\n\r\n", 3_000);
      assertEquals(405, answer.status(), answer.toString());
      String line = loggedLine(log, "forged");
      assertTrue(line.chars().noneMatch(Character::isISOControl), line);
      assertTrue(line.contains("/github\\x9b2J\\x85"), line);
    }
  }

  /** Vert.x closes the connection on a malformed chunk itself: the log says so rather than claim an answer. */
  @Test
  void aMalformedChunkMidBodyIsLoggedAsAConnectionClosedWithoutAnAnswer(Vertx vertx) throws Exception {
    try (LogCapture log = LogCapture.of("io.hookcast.webhook")) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(),
        "POST /malformed HTTP/1.1\r\nHost: hookcast\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\n", 3_000);
      assertEquals(0, answer.answers(), answer.toString());
      String line = loggedLine(log, "/malformed");
      assertTrue(line.contains("body could not be read (its framing is malformed); the connection is closed without an answer"),
        line);
    }
  }

  @Test
  void connectAndTraceAreAnswered405WithAllow(Vertx vertx) throws Exception {
    for (String request : List.of("CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n",
      "TRACE / HTTP/1.1\r\nHost: hookcast\r\n\r\n")) {
      RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), request, 3_000);
      assertEquals(405, answer.status(), answer.toString());
      assertTrue(answer.header("allow").contains("POST"), answer.toString());
      assertTrue(answer.closedByServer(), answer.toString());
    }
    assertEquals(List.of(), backend.received());
  }

  @Test
  void backendsReceiveTheirBasePathPlusTheNormalisedPathAndTheQuery(Vertx vertx) throws Exception {
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(),
      "POST /github//push/%7eme?x=1&y=%2F HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 3_000);
    assertEquals(200, answer.status(), answer.toString());
    assertEquals("/hooks/github/push/~me?x=1&y=%2F", backend.received().get(0).uri());
    assertNull(answer.failure());
  }

  /** The first line of the webhook log that mentions {@code marker}, once it has been written. */
  private static String loggedLine(LogCapture log, String marker) throws InterruptedException {
    Eventually.until(Duration.ofSeconds(5), () -> log.lines().stream().anyMatch(line -> line.contains(marker)),
      () -> "no line with '" + marker + "': " + log.lines());
    return log.lines().stream().filter(line -> line.contains(marker)).findFirst().orElseThrow();
  }
}
