package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.OrderConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class OrderKeyTest {

  private static Webhook webhook(String body, String... headers) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < headers.length; i += 2) {
      map.add(headers[i], headers[i + 1]);
    }
    return new Webhook("r", "POST", "/", map, Buffer.buffer(body));
  }

  @Test
  void theKeyIsTheHeadersValueOrTheJsonValueAtThePointer() {
    assertEquals("shop-1.myshopify.com", OrderKey.of(new OrderConfig("X-Shopify-Shop-Domain", null),
      webhook("{}", "x-shopify-shop-domain", "shop-1.myshopify.com")));
    OrderConfig repository = new OrderConfig(null, "/repository/id");
    assertEquals("1296269", OrderKey.of(repository, webhook("{\"repository\": {\"id\": 1296269}}")));
    assertEquals("octo", OrderKey.of(new OrderConfig(null, "/owner"), webhook("{\"owner\": \"octo\"}")));
    assertEquals("{\"a\":1}", OrderKey.of(new OrderConfig(null, "/owner"), webhook("{\"owner\": {\"a\": 1}}")));
  }

  @Test
  void aWebhookWithoutTheHeaderOrTheValueOrNotJsonHasNoKey() {
    assertNull(OrderKey.of(new OrderConfig("X-Shopify-Shop-Domain", null), webhook("{}")));
    OrderConfig repository = new OrderConfig(null, "/repository/id");
    assertNull(OrderKey.of(repository, webhook("{\"action\": \"opened\"}")));
    assertNull(OrderKey.of(repository, webhook("{\"repository\": {\"id\": null}}")));
    assertNull(OrderKey.of(repository, webhook("not json")));
    assertNull(OrderKey.of(repository, webhook("42")));
  }
}
