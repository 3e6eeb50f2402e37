package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The allowed values come from the schema; the enums the code names them by must hold the same, or a change to the
 * schema would leave them behind (an enum missing a schema value would fail only at startup).
 */
class SchemaDefaultsTest {

  @Test
  void theEnumsHoldTheSchemasValues() {
    assertEquals(names(Role.values()), enumOf("roles[]"));
    assertEquals(names(AnswerDetail.values()), enumOf("http.answerDetail"));
    assertEquals(names(LogConfig.Format.values()), enumOf("log.format"));
    assertEquals(names(AlertConfig.Format.values()), enumOf("alerts[].format"));
    assertEquals(names(RouteConfig.Mode.values()), enumOf("routes[].mode"));
    assertEquals(Arrays.stream(VerifyConfig.Scheme.values()).map(VerifyConfig.Scheme::jsonName).toList(),
      enumOf("routes[].verify.scheme"));
  }

  /** A reply between nodes is held to what the largest answer kept can make: the schema must not allow more. */
  @Test
  void theLargestAnswerKeptIsTheSchemasMaximum() {
    assertEquals(DeliveryConfig.MAX_RESPONSE_BODY_BYTES, ConfigSchema.keys().stream()
      .filter(key -> key.path().equals("delivery.maxResponseBodyBytes")).findFirst().orElseThrow().schema().getInteger("maximum"));
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(value -> value.name().toLowerCase(Locale.ROOT)).toList();
  }

  private static List<Object> enumOf(String path) {
    boolean items = path.endsWith("[]");
    String keyPath = items ? path.substring(0, path.length() - 2) : path;
    JsonObject schema = ConfigSchema.keys().stream().filter(key -> key.path().equals(keyPath)).findFirst().orElseThrow().schema();
    return (items ? schema.getJsonObject("items") : schema).getJsonArray("enum", new JsonArray()).getList();
  }
}
