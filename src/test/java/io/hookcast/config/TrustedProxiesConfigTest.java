package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** http.trustedProxies: IPv4 and IPv6 addresses and CIDR blocks, checked at startup. */
class TrustedProxiesConfigTest {

  private static HttpConfig http(Object trustedProxies) {
    JsonObject json = new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", trustedProxies))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "a").put("url", "http://127.0.0.1:5000/")));
    return HookcastConfig.fromJson(json).http();
  }

  @Test
  void noProxyIsTrustedByDefault() {
    HttpConfig http = HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "a").put("url", "http://127.0.0.1:5000/")))).http();
    assertEquals(List.of(), http.trustedProxies());
    assertFalse(http.trusts("127.0.0.1"));
  }

  @Test
  void addressesAndBlocksOfBothFamiliesAreMatched() {
    HttpConfig http = http(new JsonArray().add("10.0.0.0/8").add("192.168.1.7").add("2001:db8::/32").add("::1"));
    assertTrue(http.trusts("10.200.3.4"));
    assertTrue(http.trusts("192.168.1.7"));
    assertFalse(http.trusts("192.168.1.8"));
    assertFalse(http.trusts("11.0.0.1"));
    assertTrue(http.trusts("2001:db8:1234::5"));
    assertFalse(http.trusts("2001:db9::5"));
    assertTrue(http.trusts("0:0:0:0:0:0:0:1"));
    assertTrue(http.trusts("::ffff:10.1.2.3"), "an IPv4 peer on a dual-stack listener");
    assertFalse(http.trusts("not-an-address"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"proxy.example.com", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "300.1.1.1", ""})
  void anEntryThatIsNotAnAddressOrBlockStopsStartupNamingIt(String entry) {
    ConfigException e = assertThrows(ConfigException.class, () -> http(new JsonArray().add("::1").add(entry)));
    assertTrue(e.getMessage().startsWith("http.trustedProxies[1]: '" + entry + "'"), e.getMessage());
  }

  @Test
  void somethingOtherThanAListOfStringsStopsStartup() {
    assertTrue(assertThrows(ConfigException.class, () -> http("10.0.0.0/8")).getMessage().startsWith("http.trustedProxies:"));
    assertTrue(assertThrows(ConfigException.class, () -> http(new JsonArray().add(10))).getMessage()
      .startsWith("http.trustedProxies[0]:"));
  }
}
