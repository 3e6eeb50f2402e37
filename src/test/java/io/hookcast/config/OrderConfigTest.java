package io.hookcast.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrderConfigTest {

  private static HookcastConfig parse(String route) {
    return HookcastConfig.fromJson(new JsonObject("{\"backends\": [{\"name\": \"shop\", \"url\": \"http://127.0.0.1:5001/\"}],"
      + " \"routes\": [" + route + "]}"), Map.of());
  }

  private static String refusal(String route) {
    return assertThrows(ConfigException.class, () -> parse(route)).getMessage();
  }

  @Test
  void anAsyncRouteTakesItsOrderKeyFromAHeaderOrAJsonPointer() {
    assertEquals(new OrderConfig("X-Shopify-Shop-Domain", null), parse("{\"path\": \"/shopify\", \"backends\": [\"shop\"],"
      + " \"mode\": \"async\", \"order\": {\"key\": {\"header\": \"X-Shopify-Shop-Domain\"}}}").routes().get(0).order());
    assertEquals(new OrderConfig(null, "/repository/id"), parse("{\"path\": \"/github\", \"backends\": [\"shop\"],"
      + " \"mode\": \"async\", \"order\": {\"key\": {\"json\": \"/repository/id\"}}}").routes().get(0).order());
    assertNull(parse("{\"path\": \"/x\", \"backends\": [\"shop\"], \"mode\": \"async\"}").routes().get(0).order());
  }

  @Test
  void anOrderOnASyncRouteOrOfAnotherShapeIsRefusedNamingTheKey() {
    assertEquals("routes[0].order: only an async route keeps an order; a sync route's sender already waits for each"
      + " webhook's deliveries before it sends the next",
      refusal("{\"path\": \"/x\", \"backends\": [\"shop\"], \"order\": {\"key\": {\"header\": \"X-Shop\"}}}"));
    assertEquals("routes[0].order.key: expected {\"header\": name} or {\"json\": \"/pointer\"}, got an object with keys header, json",
      refusal("{\"path\": \"/x\", \"backends\": [\"shop\"], \"mode\": \"async\","
        + " \"order\": {\"key\": {\"header\": \"X-Shop\", \"json\": \"/shop\"}}}"));
    assertEquals("routes[0].order.key.json: 'shop' is not a JSON Pointer (RFC 6901): empty or starting with '/', as in \"/action\","
      + " with '~' only in ~0 and ~1",
      refusal("{\"path\": \"/x\", \"backends\": [\"shop\"], \"mode\": \"async\", \"order\": {\"key\": {\"json\": \"shop\"}}}"));
  }
}
