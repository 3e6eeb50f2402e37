package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Reading config JSON the schema has validated, and a value as a message shows it. */
final class ConfigJson {

  private ConfigJson() {
  }

  /** A string or a list of strings (the schema has checked which), as a list; empty for {@code null}. */
  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof String single ? List.of(single) : ((JsonArray) value).stream().map(String.class::cast).toList();
  }

  static String describe(Object value) {
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
