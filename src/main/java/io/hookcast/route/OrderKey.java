package io.hookcast.route;

import io.hookcast.config.OrderConfig;
import io.hookcast.route.body.BodyValues;
import io.hookcast.route.body.JsonText;
import io.vertx.core.MultiMap;
import io.vertx.core.json.Json;

/** A webhook's order key on a route with {@code routes[].order}: the header's value or the JSON value at the pointer. */
final class OrderKey {

  private OrderKey() {
  }

  /**
   * The key, or {@code null} when the webhook has none (no such header, not JSON, nothing at the pointer, JSON null);
   * one longer than the store keeps is stored as its digest ({@link io.hookcast.store.NewMessage}).
   *
   * @param body the values at the route's pointers, {@code order.json} among them read whole
   */
  static String of(OrderConfig order, MultiMap headers, BodyValues body) {
    if (order.header() != null) {
      return headers.get(order.header());
    }
    Object value = body.at(order.json());
    // The empty pointer is the body itself, which is a key only as an object or array: a lone scalar has no fields.
    if (value == null || order.json().isEmpty() && !(value instanceof JsonText)) {
      return null;
    }
    if (value instanceof JsonText text) {
      return text.json();
    }
    return value instanceof String text ? text : Json.encode(value);
  }
}
