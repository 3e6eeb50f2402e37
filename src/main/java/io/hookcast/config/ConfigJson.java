package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/** Reading typed values out of config JSON, every failure naming its key. */
final class ConfigJson {

  private ConfigJson() {
  }

  static void allowOnly(JsonObject json, String prefix, Set<String> allowed) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new ConfigException(prefix + key + ": unknown key (known keys here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  /** A string or a list of strings (the schema has checked which), as a list; empty for {@code null}. */
  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof String single ? List.of(single) : ((JsonArray) value).stream().map(String.class::cast).toList();
  }

  static String requiredString(JsonObject json, String key, String prefix) {
    Object raw = json.getValue(key);
    if (raw == null) {
      throw new ConfigException(prefix + key + ": missing");
    }
    if (!(raw instanceof String s)) {
      throw new ConfigException(prefix + key + ": expected a string, got " + describe(raw));
    }
    return nonBlank(s, prefix + key);
  }

  private static String nonBlank(String value, String key) {
    if (value.isBlank()) {
      throw new ConfigException(key + ": must not be empty");
    }
    return value;
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
