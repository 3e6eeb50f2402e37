package io.hookcast.admin.api;

import io.hookcast.config.ConfigException;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may call the API when no token is configured; and a node without a store (sync routes only). */
@ExtendWith(VertxExtension.class)
class AdminAccessTest {

  @Test
  void onALoopbackAdminHostWithoutATokenTheApiAnswersWithoutOneAndANodeWithoutAStoreHasNoMessages(Vertx vertx) throws Exception {
    RecordingBackend ci = RecordingBackend.answering(vertx, 200, "ok").await(10, TimeUnit.SECONDS);
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("ci", ci.url())))
      .await(30, TimeUnit.SECONDS);
    AdminApi anonymous = new AdminApi(vertx, hookcast.adminPort(), null);
    hookcast.post("/push", "sync").await(10, TimeUnit.SECONDS);

    assertEquals(new JsonObject().put("messages", new JsonArray()).putNull("nextCursor"), anonymous.expect(200, anonymous.get("/api/messages")));
    assertEquals("no message abc", anonymous.expect(404, anonymous.get("/api/messages/abc")).getString("error"));
    assertEquals(404, anonymous.post("/api/messages/abc/retry").statusCode());
    assertEquals(new JsonObject().put("queued", 0), anonymous.expect(202, anonymous.post("/api/deliveries/retry", new JsonObject())));
    JsonArray webhooks = anonymous.expect(200, anonymous.get("/api/sync")).getJsonArray("webhooks");
    assertEquals(1, webhooks.size());
    assertEquals("/push", webhooks.getJsonObject(0).getString("path"));
    JsonObject backend = anonymous.expect(200, anonymous.get("/api/backends")).getJsonArray("backends").getJsonObject(0);
    assertEquals(0, backend.getInteger("pending"));
    assertEquals(1, backend.getJsonObject("lastHour").getInteger("delivered"));
  }

  @Test
  void withoutATokenAnotherSitesPageOrARebindingNameIsRefused(Vertx vertx) throws Exception {
    RunningHookcast hookcast = RunningHookcast.deploy(vertx, Configs.withBackends(Configs.backend("ci", "http://127.0.0.1:9/")))
      .await(30, TimeUnit.SECONDS);
    AdminApi anonymous = new AdminApi(vertx, hookcast.adminPort(), null);
    String self = "127.0.0.1:" + hookcast.adminPort();

    HttpResponse<Buffer> crossSite = anonymous.client().post("/api/deliveries/retry").putHeader("Origin", "https://evil.example")
      .sendBuffer(Buffer.buffer("{}")).await(10, TimeUnit.SECONDS);
    assertEquals(403, crossSite.statusCode(), crossSite.bodyAsString());
    HttpResponse<Buffer> rebound = anonymous.client().get("/api/messages").putHeader("Host", "evil.example:" + hookcast.adminPort())
      .send().await(10, TimeUnit.SECONDS);
    assertEquals(403, rebound.statusCode(), rebound.bodyAsString());
    HttpResponse<Buffer> ownPage = anonymous.client().post("/api/deliveries/retry").putHeader("Origin", "http://" + self)
      .sendBuffer(Buffer.buffer("{}")).await(10, TimeUnit.SECONDS);
    assertEquals(202, ownPage.statusCode(), ownPage.bodyAsString());
    HttpResponse<Buffer> page = anonymous.client().get("/").send().await(10, TimeUnit.SECONDS);
    assertEquals(200, page.statusCode());
    assertEquals("DENY", page.getHeader("X-Frame-Options"));
    assertTrue(page.getHeader("Content-Security-Policy").contains("default-src 'self'"), page.getHeader("Content-Security-Policy"));
  }

  @Test
  void aNodeWhoseAdminHostIsNotLoopbackDoesNotStartWithoutAToken(Vertx vertx) {
    JsonObject config = Configs.withBackends(Configs.backend("ci", "http://127.0.0.1:9/"))
      .put("admin", new JsonObject().put("host", "0.0.0.0").put("port", 0));
    Exception refused = assertThrows(Exception.class, () -> RunningHookcast.deploy(vertx, config).await(30, TimeUnit.SECONDS));
    ConfigException cause = assertInstanceOf(ConfigException.class, refused);
    assertTrue(cause.getMessage().startsWith("admin.token (or HOOKCAST_ADMIN_TOKEN) is required"), cause.getMessage());
  }
}
