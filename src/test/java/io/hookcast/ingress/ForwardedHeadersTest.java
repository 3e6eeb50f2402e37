package io.hookcast.ingress;

import io.hookcast.testing.Configs;
import io.hookcast.testing.RawSocket;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What backends are told about the sender: believed from a trusted proxy, replaced from anyone else. The test
 * connects from 127.0.0.1, which is trusted or not depending on {@code http.trustedProxies}.
 */
@ExtendWith(VertxExtension.class)
class ForwardedHeadersTest {

  private static final String SPOOFING_REQUEST = "POST /hook HTTP/1.1\r\n"
    + "Host: hooks.example.com\r\n"
    + "X-Forwarded-For: 203.0.113.7\r\n"
    + "X-Forwarded-Proto: https\r\n"
    + "X-Forwarded-Host: admin.internal\r\n"
    + "Forwarded: for=203.0.113.7;proto=https;host=admin.internal\r\n"
    + "X-Forwarded-Port: 8443\r\n"
    + "X-Forwarded-Prefix: /admin\r\n"
    + "X-Forwarded-Ssl: on\r\n"
    + "X-Real-IP: 203.0.113.7\r\n"
    + "True-Client-IP: 203.0.113.7\r\n"
    + "Authorization: Bearer sender-token\r\n"
    + "Cookie: session=abc\r\n"
    + "Content-Length: 2\r\nConnection: close\r\n\r\n{}";

  @Test
  void fromAnUntrustedPeerProtoAndHostAreReplacedTheOtherProxyHeadersAreDroppedAndThePeerIsAppended(Vertx vertx)
    throws Exception {
    MultiMap headers = forwardedFrom(vertx, List.of("10.0.0.0/8", "::1"));
    assertEquals("203.0.113.7, 127.0.0.1", headers.get("X-Forwarded-For"));
    assertEquals("http", headers.get("X-Forwarded-Proto"));
    assertEquals("hooks.example.com", headers.get("X-Forwarded-Host"));
    for (String believedByFrameworks : List.of("Forwarded", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "X-Real-IP",
      "True-Client-IP")) {
      assertNull(headers.get(believedByFrameworks), believedByFrameworks + " was forwarded");
    }
    assertEquals("Bearer sender-token", headers.get("Authorization"));
    assertEquals("session=abc", headers.get("Cookie"));
  }

  /**
   * CGI, WSGI and Rack servers read {@code X_Real_IP} and {@code X-Real-IP} as the same variable, so either spelling
   * from a sender would override what Hookcast says.
   */
  @Test
  void fromAnUntrustedPeerUnderscoreSpellingsOfTheProxyHeadersAreDroppedAndOtherUnderscoreHeadersKept(Vertx vertx)
    throws Exception {
    String request = SPOOFING_REQUEST.replace("Host: hooks.example.com\r\n", "Host: hooks.example.com\r\n"
      + "X_Forwarded_Host: evil.example\r\nX_Real_IP: 10.0.0.1\r\nx_forwarded_for: 10.0.0.2\r\nX-Forwarded_Proto: https\r\n"
      + "X_Sender_Tag: kept\r\n");
    MultiMap headers = forwardedFrom(vertx, List.of(), request);
    for (String spoofing : List.of("X_Forwarded_Host", "X_Real_IP", "x_forwarded_for", "X-Forwarded_Proto")) {
      assertNull(headers.get(spoofing), spoofing + " was forwarded");
    }
    assertEquals("203.0.113.7, 127.0.0.1", headers.get("X-Forwarded-For"));
    assertEquals("kept", headers.get("X_Sender_Tag"));
  }

  @Test
  void withNoTrustedProxiesConfiguredNoPeerIsBelieved(Vertx vertx) throws Exception {
    MultiMap headers = forwardedFrom(vertx, List.of());
    assertEquals("http", headers.get("X-Forwarded-Proto"));
    assertEquals("hooks.example.com", headers.get("X-Forwarded-Host"));
    assertNull(headers.get("Forwarded"));
  }

  @Test
  void fromATrustedProxyItsForwardedHeadersAreKeptAndThePeerIsAppended(Vertx vertx) throws Exception {
    MultiMap headers = forwardedFrom(vertx, List.of("127.0.0.0/8"));
    assertEquals("203.0.113.7, 127.0.0.1", headers.get("X-Forwarded-For"));
    assertEquals("https", headers.get("X-Forwarded-Proto"));
    assertEquals("admin.internal", headers.get("X-Forwarded-Host"));
    assertEquals("for=203.0.113.7;proto=https;host=admin.internal", headers.get("Forwarded"));
    assertEquals("8443", headers.get("X-Forwarded-Port"));
    assertEquals("203.0.113.7", headers.get("X-Real-IP"));
  }

  private static MultiMap forwardedFrom(Vertx vertx, List<String> trustedProxies) throws Exception {
    return forwardedFrom(vertx, trustedProxies, SPOOFING_REQUEST);
  }

  private static MultiMap forwardedFrom(Vertx vertx, List<String> trustedProxies, String request) throws Exception {
    RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("b", backend.url()));
    config.getJsonObject("http").put("trustedProxies", new JsonArray(List.copyOf(trustedProxies)));
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
    RawSocket.Exchange answer = RawSocket.exchange(vertx, hookcast.port(), request, 5_000);
    assertEquals(200, answer.status(), answer.toString());
    return backend.received().get(0).headers();
  }
}
