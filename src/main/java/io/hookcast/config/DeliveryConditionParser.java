package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Parses {@code routes[].deliver}: per backend of the route, a {@link DeliveryCondition}. The shapes are
 * {@code {"header": name, "equals": v}} / {@code {"header": name, "in": [...]}},
 * {@code {"json": "/pointer", "equals": v}} / {@code {"json": "/pointer", "in": [...]}},
 * {@code {"all": [...]}} and {@code {"any": [...]}}; anything else is refused naming its key.
 */
public final class DeliveryConditionParser {

  private static final String SHAPES = "expected {\"header\": name, \"equals\" or \"in\": …}, {\"json\": \"/pointer\", "
    + "\"equals\" or \"in\": …}, {\"all\": [...]} or {\"any\": [...]}";

  private DeliveryConditionParser() {
  }

  /**
   * @param json          the {@code deliver} object, keyed by backend name
   * @param keyPrefix     its key with a trailing dot, e.g. {@code routes[0].deliver.}
   * @param routeBackends the route's backends: a condition for any other name is a mistake
   * @return the conditions by backend name, in the order written
   */
  public static Map<String, DeliveryCondition> parse(JsonObject json, String keyPrefix, Collection<String> routeBackends) {
    Map<String, DeliveryCondition> conditions = new LinkedHashMap<>();
    for (String backend : json.fieldNames()) {
      if (!routeBackends.contains(backend)) {
        throw new ConfigException(keyPrefix + backend + ": '" + backend + "' is not a backend of this route (its backends: "
          + String.join(", ", routeBackends) + ")");
      }
      conditions.put(backend, condition(json.getValue(backend), keyPrefix + backend));
    }
    return Map.copyOf(conditions);
  }

  private static DeliveryCondition condition(Object raw, String key) {
    if (!(raw instanceof JsonObject json)) {
      throw new ConfigException(key + ": " + SHAPES + ", got " + ConfigJson.describe(raw));
    }
    if (json.containsKey("all") || json.containsKey("any")) {
      String combinator = json.containsKey("all") ? "all" : "any";
      ConfigJson.allowOnly(json, key + ".", Set.of(combinator));
      List<DeliveryCondition> parts = conditions(json.getValue(combinator), key + "." + combinator);
      return combinator.equals("all") ? new DeliveryCondition.All(parts) : new DeliveryCondition.Any(parts);
    }
    if (json.containsKey("header")) {
      ConfigJson.allowOnly(json, key + ".", Set.of("header", "equals", "in"));
      String header = ConfigJson.requiredString(json, "header", key + ".");
      return new DeliveryCondition.HeaderIn(header, values(json, key, DeliveryConditionParser::headerValue));
    }
    if (json.containsKey("json")) {
      ConfigJson.allowOnly(json, key + ".", Set.of("json", "equals", "in"));
      String pointer = pointer(json.getValue("json"), key + ".json");
      return new DeliveryCondition.JsonIn(pointer, values(json, key, DeliveryConditionParser::jsonValue));
    }
    throw new ConfigException(key + ": " + SHAPES + ", got an object with " + (json.isEmpty() ? "no keys" : "keys "
      + String.join(", ", json.fieldNames())));
  }

  private static List<DeliveryCondition> conditions(Object raw, String key) {
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(key + ": expected a non-empty list of conditions, got " + ConfigJson.describe(raw));
    }
    List<DeliveryCondition> parts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      parts.add(condition(array.getValue(i), key + "[" + i + "]"));
    }
    return parts;
  }

  /** {@code equals: v} as a list of one, or the {@code in} list; exactly one of the two. */
  private static <T> List<T> values(JsonObject json, String key, BiFunction<Object, String, T> check) {
    boolean equals = json.containsKey("equals");
    boolean in = json.containsKey("in");
    if (equals == in) {
      throw new ConfigException(key + ": give exactly one of \"equals\" (one value) or \"in\" (a list of values)");
    }
    if (equals) {
      return List.of(check.apply(json.getValue("equals"), key + ".equals"));
    }
    Object raw = json.getValue("in");
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(key + ".in: expected a non-empty list of values, got " + ConfigJson.describe(raw));
    }
    List<T> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      values.add(check.apply(array.getValue(i), key + ".in[" + i + "]"));
    }
    return values;
  }

  private static String headerValue(Object value, String key) {
    if (!(value instanceof String s)) {
      throw new ConfigException(key + ": a header value is a string, got " + ConfigJson.describe(value));
    }
    return s;
  }

  static String pointer(Object raw, String key) {
    if (!(raw instanceof String pointer)) {
      throw new ConfigException(key + ": expected a JSON Pointer such as \"/action\", got " + ConfigJson.describe(raw));
    }
    if (!pointer.isEmpty() && !pointer.startsWith("/")) {
      throw new ConfigException(key + ": '" + pointer + "' is not a JSON Pointer; it starts with '/', as in \"/action\"");
    }
    try {
      JsonPointer.from(pointer);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": '" + pointer + "' is not a valid JSON Pointer (RFC 6901)");
    }
    return pointer;
  }

  private static Object jsonValue(Object value, String key) {
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros();
    }
    throw new ConfigException(key + ": a JSON value to compare is a string, number or boolean, got " + ConfigJson.describe(value));
  }
}
