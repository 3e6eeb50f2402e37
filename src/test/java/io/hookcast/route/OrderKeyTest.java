package io.hookcast.route;

import io.hookcast.config.OrderConfig;
import io.hookcast.route.body.BodyScanner;
import io.hookcast.route.body.BodyValues;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OrderKeyTest {

  /** The key as an async route takes it: the body read for the key's pointer alone. */
  private static String key(OrderConfig order, String body, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    BodyValues values = order.json() == null ? BodyValues.NONE : new BodyScanner(List.of(), order.json()).scan(Buffer.buffer(body));
    return OrderKey.of(order, map, values);
  }

  @Test
  void theKeyIsTheHeadersValueOrTheJsonValueAtThePointer() {
    assertEquals("shop-1.myshopify.com", key(new OrderConfig("X-Shopify-Shop-Domain", null),
      "{}", "x-shopify-shop-domain", "shop-1.myshopify.com"));
    OrderConfig repository = new OrderConfig(null, "/repository/id");
    assertEquals("1296269", key(repository, "{\"repository\": {\"id\": 1296269}}"));
    assertEquals("octo", key(new OrderConfig(null, "/owner"), "{\"owner\": \"octo\"}"));
    assertEquals("{\"a\":1}", key(new OrderConfig(null, "/owner"), "{\"owner\": {\"a\": 1}}"));
  }

  @Test
  void aWebhookWithoutTheHeaderOrTheValueOrNotJsonHasNoKey() {
    assertNull(key(new OrderConfig("X-Shopify-Shop-Domain", null), "{}"));
    OrderConfig repository = new OrderConfig(null, "/repository/id");
    assertNull(key(repository, "{\"action\": \"opened\"}"));
    assertNull(key(repository, "{\"repository\": {\"id\": null}}"));
    assertNull(key(repository, "not json"));
    assertNull(key(repository, "42"));
  }

  @Test
  void theWholeBodyIsAKeyOnlyAsAnObjectOrArray() {
    OrderConfig body = new OrderConfig(null, "");
    assertEquals("{\"shop\":1,\"items\":[1,2.5,true,null]}", key(body, "{\"shop\": 1, \"items\": [1, 2.5, true, null]}"));
    assertNull(key(body, "42"));
    assertNull(key(body, "\"shop\""));
  }
}
