package io.hookcast;

import io.hookcast.demo.DemoBackendVerticle;
import io.hookcast.testing.Configs;
import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RunningHookcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The eight cases of the NGINX+Lua proof of concept's own test script, through Hookcast and the demo backends. */
@ExtendWith(VertxExtension.class)
class OriginalCasesTest {

  private RunningHookcast hookcast;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    int one = HookcastProcess.freePort();
    int two = HookcastProcess.freePort();
    Future.all(vertx.deployVerticle(new DemoBackendVerticle("one", "127.0.0.1", one)),
        vertx.deployVerticle(new DemoBackendVerticle("two", "127.0.0.1", two)))
      .compose(v -> RunningHookcast.deploy(vertx, Configs.withBackends(
        Configs.backend("one", "http://127.0.0.1:" + one + "/"),
        Configs.backend("two", "http://127.0.0.1:" + two + "/"))))
      .onComplete(context.succeeding(running -> {
        hookcast = running;
        context.completeNow();
      }));
  }

  static Stream<Arguments> originalCases() {
    return Stream.of(
      Arguments.of("backend=backend_one", 200, "Request processed on backend one", "Wrong backend but ok!"),
      Arguments.of("backend=backend_two", 200, "Wrong backend but ok!", "Request processed on backend two"),
      Arguments.of("fail_one", 404, "Major failure on backend one!", "Wrong backend but ok!"),
      Arguments.of("fail_two", 404, "Wrong backend but ok!", "Major failure on backend two!"),
      Arguments.of("fail_all", 404, "All failing! I'm backend one", "All failing! I'm backend two"),
      Arguments.of(repeat("backend_one", 64 * 1024), 200, "Request processed on backend one", "Wrong backend but ok!"),
      Arguments.of(repeat("backend_two", 32 * 1024), 200, "Wrong backend but ok!", "Request processed on backend two"),
      Arguments.of(repeat("backend_one", 8 * 1024), 200, "Request processed on backend one", "Wrong backend but ok!"));
  }

  @ParameterizedTest(name = "[{index}] answers {1}")
  @MethodSource("originalCases")
  void answersLikeTheOriginal(String body, int status, String fromOne, String fromTwo, VertxTestContext context) {
    hookcast.post("/", body).onComplete(context.succeeding(response -> context.verify(() -> {
      assertEquals(status, response.statusCode());
      assertEquals("application/json", response.getHeader("Content-Type"));
      JsonObject answer = response.bodyAsJsonObject();
      assertEquals(fromOne, answer.getJsonObject("one").getString("body"));
      assertEquals(fromTwo, answer.getJsonObject("two").getString("body"));
      context.completeNow();
    })));
  }

  @ParameterizedTest(name = "a body over 64 KiB is a big payload")
  @MethodSource("bigPayload")
  void bigPayloadIsAcknowledgedByBoth(String body, VertxTestContext context) {
    hookcast.post("/", body).onComplete(context.succeeding(response -> context.verify(() -> {
      assertEquals(200, response.statusCode());
      JsonObject answer = response.bodyAsJsonObject();
      assertEquals("Big payload of 64KB at backend one", answer.getJsonObject("one").getString("body"));
      assertEquals("Big payload of 64KB at backend two", answer.getJsonObject("two").getString("body"));
      context.completeNow();
    })));
  }

  static Stream<String> bigPayload() {
    return Stream.of("fail_all" + "x".repeat(64 * 1024));
  }

  /** A file of exactly {@code size} bytes made of repeated {@code word}, as the original test script wrote. */
  private static String repeat(String word, int size) {
    StringBuilder text = new StringBuilder(size);
    while (text.length() < size) {
      text.append(word);
    }
    return text.substring(0, size);
  }
}
