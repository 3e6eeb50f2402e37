package io.hookcast;

import io.hookcast.testing.HookcastProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fat jar as users run it: {@code java -jar target/hookcast.jar -conf FILE}. */
class MainIT {

  @Test
  void startsWithDemoBackendsAndAnswersTheReadmeExamples(@TempDir Path dir) throws Exception {
    int port = HookcastProcess.freePort();
    int one = HookcastProcess.freePort();
    int two = HookcastProcess.freePort();
    JsonObject config = new JsonObject(Files.readString(Path.of("conf", "hookcast.json")));
    config.getJsonObject("http").put("host", "127.0.0.1").put("port", port);
    config.put("admin", new JsonObject().put("port", 0));
    config.put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:" + one + "/"))
      .add(new JsonObject().put("name", "two").put("url", "http://127.0.0.1:" + two + "/")));
    config.getJsonObject("demo").put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("port", one))
      .add(new JsonObject().put("name", "two").put("port", two)));
    Path file = Files.writeString(dir.resolve("hookcast.json"), config.encodePrettily());

    Vertx vertx = Vertx.vertx();
    try (HookcastProcess hookcast = HookcastProcess.start("-conf", file.toString())) {
      hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
      WebClient client = WebClient.create(vertx);
      HttpResponse<Buffer> failOne = client.post(port, "127.0.0.1", "/").sendBuffer(Buffer.buffer("fail_one"))
        .await(10, TimeUnit.SECONDS);
      assertEquals(404, failOne.statusCode());
      assertEquals("Major failure on backend one!", failOne.bodyAsJsonObject().getJsonObject("one").getString("body"));
      assertEquals("Wrong backend but ok!", failOne.bodyAsJsonObject().getJsonObject("two").getString("body"));
      hookcast.awaitLine("webhook " + failOne.getHeader("X-Request-Id"), 10, TimeUnit.SECONDS);

      hookcast.terminate();
      hookcast.awaitExit(30, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
      Arguments.of(null, "config file '%s': no such file"),
      Arguments.of("{\"backends\": [", "config file '%s': not a valid JSON object"),
      Arguments.of("{\"backends\": []}", "backends: the list is empty"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}, {\"name\": \"a\", \"url\": \"http://y/\"}]}", "backends[1].name: duplicate backend name 'a'"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"ftp://x/\"}]}", "backends[0].url: 'ftp://x/' is not an http:// or https:// URL"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"timeoutMs\": -1}]}", "backends[0].timeoutMs: -1 must be greater than 0"),
      Arguments.of("{\"http\": {\"port\": 65536}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "http.port: 65536 is out of range (0-65535)"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badConfigs")
  void refusesToStartWithABadConfigAndSaysWhy(String content, String expected, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("hookcast.json");
    if (content != null) {
      Files.writeString(file, content);
    }
    try (HookcastProcess hookcast = HookcastProcess.start("-conf", file.toString())) {
      int exit = hookcast.awaitExit(60, TimeUnit.SECONDS);
      assertEquals(2, exit, hookcast.output());
      String firstLine = hookcast.output().lines().findFirst().orElse("");
      assertTrue(firstLine.startsWith("hookcast: invalid configuration: " + expected.formatted(file)), hookcast.output());
    }
  }
}
