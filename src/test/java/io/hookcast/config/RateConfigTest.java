package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateConfigTest {

  private static HookcastConfig withRate(Object rate) {
    JsonObject backend = new JsonObject().put("name", "billing").put("url", "http://127.0.0.1:5001/");
    if (rate != null) {
      backend.put("rate", rate);
    }
    return HookcastConfig.fromJson(new JsonObject().put("backends", new JsonArray().add(backend)), Map.of());
  }

  @Test
  void aBackendWithoutARateIsNotLimitedAndTheBurstDefaultsToTheRate() {
    assertNull(withRate(null).backends().get(0).rate());
    assertEquals(new RateConfig(50, 50, 0), withRate(new JsonObject().put("perSecond", 50)).backends().get(0).rate());
    assertEquals(new RateConfig(50, 100, 2_000),
      withRate(new JsonObject().put("perSecond", 50).put("burst", 100).put("slowMs", 2_000)).backends().get(0).rate());
  }

  @Test
  void aRateWithoutPerSecondOrWithAnUnknownKeyOrOutOfRangeIsRefusedNamingTheKey() {
    assertEquals("backends[0].rate.perSecond: missing; a rate is the most deliveries per second to the backend",
      assertThrows(ConfigException.class, () -> withRate(new JsonObject().put("burst", 10))).getMessage());
    assertEquals("backends[0].rate.burst: 0 is out of range 1..1000000",
      assertThrows(ConfigException.class, () -> withRate(new JsonObject().put("perSecond", 5).put("burst", 0))).getMessage());
    assertEquals("backends[0].rate.slowMs: -1 is out of range 0..600000",
      assertThrows(ConfigException.class, () -> withRate(new JsonObject().put("perSecond", 5).put("slowMs", -1))).getMessage());
    String unknown = assertThrows(ConfigException.class, () -> withRate(new JsonObject().put("perSecond", 5).put("perMinute", 1)))
      .getMessage();
    assertEquals(true, unknown.startsWith("backends[0].rate.perMinute: "), unknown);
  }
}
