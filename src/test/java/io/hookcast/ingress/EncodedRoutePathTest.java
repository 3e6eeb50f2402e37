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

/**
 * A route path may hold {@code !$&'()*+,=:@} (the schema allows them). Hookcast keeps their percent-encodings as sent,
 * but backends (Spring, Go's net/http, Rails, Flask) decode a path before they route it: {@code /hooks/acme%40github}
 * is {@code /hooks/acme@github} to them. Such a spelling must not reach the verified route's backend through a
 * catch-all without the route's signature check ("One spelling of a path", docs/security.md).
 */
@ExtendWith(VertxExtension.class)
class EncodedRoutePathTest {

  private RecordingBackend app;
  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    app = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    JsonObject config = Configs.withBackends(Configs.backend("app", app.url()));
    config.put("routes", new JsonArray()
      .add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("app")))
      .add(new JsonObject().put("path", "/hooks/acme@github").put("backends", new JsonArray().add("app"))
        .put("verify", new JsonObject().put("scheme", "github").put("secretEnv", "PATH")))); // any set variable will do
    hookcast = RunningHookcast.deploy(vertx, config).await(10, TimeUnit.SECONDS);
  }

  @Test
  void aPercentEncodedSpellingOfAVerifiedRoutesPathIsNotTakenByTheCatchAllUnsigned(Vertx vertx) throws Exception {
    RawSocket.Exchange signedRouteAsWritten = RawSocket.exchange(vertx, hookcast.port(),
      "POST /hooks/acme@github HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 3_000);
    assertEquals(401, signedRouteAsWritten.status(), signedRouteAsWritten.toString());
    RawSocket.Exchange encoded = RawSocket.exchange(vertx, hookcast.port(),
      "POST /hooks/acme%40github HTTP/1.1\r\nHost: hookcast\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", 3_000);
    assertEquals(List.of(), app.received().stream().map(RecordingBackend.Received::uri).toList(),
      "an unsigned webhook reached the backend under a spelling it decodes to the verified route's path");
    assertEquals(400, encoded.status(), encoded.toString());
  }
}
