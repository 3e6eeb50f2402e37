package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code routes[].deliver}, whose shapes the schema has checked ({@code $defs/condition}): per backend of the
 * route, a {@link DeliveryCondition}. What is left here is that each key names a backend of the route.
 */
public final class DeliveryConditionParser {

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
      conditions.put(backend, condition(json.getJsonObject(backend), keyPrefix + backend));
    }
    return Map.copyOf(conditions);
  }

  /** The first of all, any, header and json decides, as in the schema. */
  private static DeliveryCondition condition(JsonObject json, String key) {
    if (json.containsKey("all")) {
      return new DeliveryCondition.All(conditions(json.getJsonArray("all"), key + ".all"));
    }
    if (json.containsKey("any")) {
      return new DeliveryCondition.Any(conditions(json.getJsonArray("any"), key + ".any"));
    }
    if (json.containsKey("header")) {
      List<Object> values = json.containsKey("equals") ? List.of(json.getValue("equals")) : json.getJsonArray("in").getList();
      return new DeliveryCondition.HeaderIn(json.getString("header"), values.stream().map(String.class::cast).toList());
    }
    List<Object> values = new ArrayList<>();
    if (json.containsKey("equals")) {
      values.add(comparable(json.getValue("equals"), key + ".equals"));
    } else {
      JsonArray in = json.getJsonArray("in");
      for (int i = 0; i < in.size(); i++) {
        values.add(comparable(in.getValue(i), key + ".in[" + i + "]"));
      }
    }
    return new DeliveryCondition.JsonIn(json.getString("json"), values);
  }

  /** As JSON compares numbers: 1, 1.0 and 1e0 are the same. */
  private static Object comparable(Object value, String key) {
    Object comparable = DeliveryCondition.JsonIn.comparable(value);
    if (comparable instanceof Double) {
      throw new ConfigException(key + ": a number beyond ±1.8e308, which no JSON body's number can equal");
    }
    return comparable;
  }

  private static List<DeliveryCondition> conditions(JsonArray array, String key) {
    List<DeliveryCondition> conditions = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      conditions.add(condition(array.getJsonObject(i), key + "[" + i + "]"));
    }
    return conditions;
  }
}
