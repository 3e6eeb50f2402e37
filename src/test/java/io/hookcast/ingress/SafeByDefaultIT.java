package io.hookcast.ingress;

import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A webhook endpoint, not an open proxy, as a new user's configuration meets it on the jar: a verified {@code /github}
 * route and an unverified {@code /} to the same backend, probed the ways that used to get around the check.
 */
class SafeByDefaultIT {

  private static Vertx vertx;
  private static RecordingBackend backend;
  private static HookcastProcess hookcast;
  private static HttpClient client;
  private static int port;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    port = HookcastProcess.freePort();
    JsonArray both = new JsonArray().add("app");
    Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", 0))
      .put("reload", new JsonObject().put("scanPeriodMs", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "app").put("url", backend.url())))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/github").put("backends", both)
          .put("verify", new JsonObject().put("scheme", "github").put("secretEnv", "GITHUB_WEBHOOK_SECRET")))
        .add(new JsonObject().put("path", "/meta").put("backends", both).put("methods", new JsonArray().add("GET").add("POST")))
        .add(new JsonObject().put("path", "/").put("backends", both)))
      .encode());
    hookcast = HookcastProcess.start(Map.of("GITHUB_WEBHOOK_SECRET", "s3cret"), "-conf", config.toString());
    hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() throws Exception {
    hookcast.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aMethodNoRouteTakesIsAnswered405WithAllowAndNeverForwarded() throws Exception {
    int before = backend.received().size();
    Reply response = send(HttpMethod.GET, "/etc/passwd", "");
    assertEquals(405, response.statusCode());
    assertEquals("POST", response.allow());
    assertEquals(before, backend.received().size(), "a GET reached the backend");
  }

  @Test
  void aRouteThatListsGetTakesItForAHandshake() throws Exception {
    Reply response = send(HttpMethod.GET, "/meta?hub.challenge=42", "");
    assertEquals(200, response.statusCode());
    assertTrue(backend.received().stream().anyMatch(r -> r.method().equals("GET") && r.uri().equals("/meta?hub.challenge=42")));
    assertEquals("GET, POST", send(HttpMethod.DELETE, "/meta", "").allow());
  }

  @Test
  void pathParametersCannotSkipTheSignatureCheck() throws Exception {
    int before = backend.received().size();
    assertEquals(400, send(HttpMethod.POST, "/github;a/x", "{}").statusCode());
    assertEquals(400, send(HttpMethod.POST, "/github%3Ba/x", "{}").statusCode());
    assertEquals(before, backend.received().size(), "a path with ';' reached the backend");
  }

  @Test
  void letterCaseCannotSkipTheSignatureCheck() throws Exception {
    int before = backend.received().size();
    Reply response = send(HttpMethod.POST, "/GitHub/x", "{}");
    assertEquals(400, response.statusCode());
    assertTrue(response.body().contains("differs from route /github only by letter case"));
    assertEquals(before, backend.received().size(), "/GitHub/x reached the backend unverified");
  }

  /** Rails reads /github.json as /github with a format; IIS drops trailing dots and spaces. */
  @Test
  void aSuffixCannotSkipTheSignatureCheck() throws Exception {
    int before = backend.received().size();
    for (String suffixed : new String[] {"/github.json", "/github.", "/github~", "/github%20", "/github.json/x"}) {
      Reply response = send(HttpMethod.POST, suffixed, "{}");
      assertEquals(400, response.statusCode(), suffixed);
      assertTrue(response.body().contains("differs from route /github only by a suffix"), response.body());
    }
    assertEquals(before, backend.received().size(), "a suffixed path reached the backend unverified");
  }

  @Test
  void theVerifiedRouteStillRefusesABadSignatureAndTheOpenRouteStillDelivers() throws Exception {
    int before = backend.received().size();
    assertEquals(401, send(HttpMethod.POST, "/github/x", "{}").statusCode());
    assertEquals(before, backend.received().size());
    assertEquals(200, send(HttpMethod.POST, "/x", "{}").statusCode());
    assertEquals(before + 1, backend.received().size());
  }

  private record Reply(int statusCode, String allow, String body) {
  }

  private static Reply send(HttpMethod method, String uri, String body) throws Exception {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri))
      .compose(request -> request.send(Buffer.buffer(body)))
      .compose(response -> response.body().map(text -> new Reply(response.statusCode(), response.getHeader("Allow"), text.toString())))
      .await(30, TimeUnit.SECONDS);
  }
}
