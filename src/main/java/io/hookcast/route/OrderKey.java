package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.OrderConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

/** A webhook's order key on a route with {@code routes[].order}: the header's value or the JSON value at the pointer. */
final class OrderKey {

  private OrderKey() {
  }

  /**
   * The key, or {@code null} when the webhook has none (no such header, not JSON, nothing at the pointer, JSON null);
   * one longer than the store keeps is stored as its digest ({@link io.hookcast.store.NewMessage}).
   */
  static String of(OrderConfig order, Webhook webhook) {
    return order.header() != null ? webhook.headers().get(order.header()) : atPointer(order.json(), webhook);
  }

  private static String atPointer(String pointer, Webhook webhook) {
    Object json;
    try {
      json = Json.decodeValue(webhook.body());
    } catch (DecodeException notJson) {
      return null;
    }
    if (!(json instanceof JsonObject) && !(json instanceof JsonArray)) {
      return null;
    }
    Object value = JsonPointer.from(pointer).queryJson(json);
    if (value == null) {
      return null;
    }
    return value instanceof String text ? text : Json.encode(value);
  }
}
