package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
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

  /** A string, or a non-empty list of strings, as a list; empty if the key is absent. */
  static List<String> stringOrList(JsonObject json, String key, String prefix) {
    Object raw = json.getValue(key);
    if (raw == null) {
      return List.of();
    }
    if (raw instanceof String s) {
      return List.of(nonBlank(s, prefix + key));
    }
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(prefix + key + ": expected a string or a non-empty list of strings, got " + describe(raw));
    }
    List<String> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String itemKey = prefix + key + "[" + i + "]";
      if (!(array.getValue(i) instanceof String s)) {
        throw new ConfigException(itemKey + ": expected a string, got " + describe(array.getValue(i)));
      }
      values.add(nonBlank(s, itemKey));
    }
    return List.copyOf(values);
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
