package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.OrderConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A webhook's order key on a route with {@code routes[].order}: the header's value or the JSON value at the pointer. */
final class OrderKey {

  /** The store's column holds this much; a longer key is replaced by its digest, which orders the same. */
  private static final int MAX_CHARS = 1_024;

  private OrderKey() {
  }

  /** The key, or {@code null} when the webhook has none (no such header, not JSON, nothing at the pointer, JSON null). */
  static String of(OrderConfig order, Webhook webhook) {
    String key = order.header() != null ? webhook.headers().get(order.header()) : atPointer(order.json(), webhook);
    if (key == null || key.length() <= MAX_CHARS) {
      return key;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
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
