package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every numeric key against its documented range (docs/configuration.md): refused whole, never wrapped or clamped. */
class NumericKeysTest {

  private record Key(String path, long min, long max) {
  }

  /** The reference's table (docs/configuration.md), key by key. */
  private static final List<Key> KEYS = List.of(
    new Key("http.port", 0, 65_535),
    new Key("http.maxBodyBytes", 1, 2_147_483_639),
    new Key("http.maxConcurrentWebhooks", 1, 1_000_000),
    new Key("http.maxBufferedBytes", 1, 1_099_511_627_776L),
    new Key("http.idleTimeoutMs", 1, 86_400_000),
    new Key("http.requestTimeoutMs", 1, 3_600_000),
    new Key("http.maxHeaderBytes", 1_024, 1_048_576),
    new Key("http.maxHeaderCount", 1, 10_000),
    new Key("delivery.timeoutMs", 1, 600_000),
    new Key("delivery.maxConnections", 1, 10_000),
    new Key("delivery.maxInFlight", 1, 100_000),
    new Key("delivery.maxQueued", 0, 1_000_000),
    new Key("delivery.maxResponseBodyBytes", 1, 16_777_216),
    new Key("delivery.retry.maxAttempts", 1, 100),
    new Key("delivery.retry.initialBackoffMs", 1, 600_000),
    new Key("delivery.retry.maxBackoffMs", 1, 600_000),
    new Key("delivery.circuitBreaker.failureThreshold", 1, 10_000),
    new Key("delivery.circuitBreaker.resetTimeoutMs", 1, 86_400_000),
    new Key("delivery.async.leaseMs", 1_000, 86_400_000),
    new Key("store.retentionHours", 1, 87_600),
    new Key("store.timeoutMs", 100, 600_000),
    new Key("backends[0].timeoutMs", 1, 600_000),
    new Key("backends[0].maxConnections", 1, 10_000),
    new Key("backends[0].maxInFlight", 1, 100_000),
    new Key("backends[0].maxQueued", 0, 1_000_000),
    new Key("backends[0].retry.maxAttempts", 1, 100),
    new Key("backends[0].retry.initialBackoffMs", 1, 600_000),
    new Key("backends[0].retry.maxBackoffMs", 1, 600_000),
    new Key("backends[0].circuitBreaker.failureThreshold", 1, 10_000),
    new Key("backends[0].circuitBreaker.resetTimeoutMs", 1, 86_400_000),
    new Key("backends[0].rate.perSecond", 1, 100_000),
    new Key("admin.port", 0, 65_535),
    new Key("reload.scanPeriodMs", 0, 86_400_000),
    new Key("cluster.port", 0, 65_535),
    new Key("demo.backends[0].port", 0, 65_535));

  static Stream<Arguments> valuesOutsideEveryRange() {
    return KEYS.stream().flatMap(key -> {
      String range = key.min() + ".." + key.max();
      // Too large for an int: what a cast would have wrapped (every int key's range lies within the int range).
      Stream<Arguments> beyondInt = key.max() > Integer.MAX_VALUE ? Stream.of()
        : Stream.of(Arguments.of(key.path(), 9_999_999_999L, key.path() + ": 9999999999 is out of range " + range));
      return Stream.concat(beyondInt, Stream.of(
        Arguments.of(key.path(), key.min() - 1, key.path() + ": " + (key.min() - 1) + " is out of range " + range),
        Arguments.of(key.path(), key.max() + 1, key.path() + ": " + (key.max() + 1) + " is out of range " + range),
        // Jackson hands these over as Double, Long and BigInteger: each must be compared exactly, not cast.
        Arguments.of(key.path(), 1e19, key.path() + ": 1e19 is out of range " + range),
        Arguments.of(key.path(), -1e19, key.path() + ": -1e19 is out of range " + range),
        Arguments.of(key.path(), new JsonObject("{\"n\": 18446744073709551617}").getValue("n"),
          key.path() + ": 18446744073709551617 is out of range " + range),
        Arguments.of(key.path(), 1.5, key.path() + ": 1.5 is not a whole number; expected one in " + range),
        Arguments.of(key.path(), "5", key.path() + ": expected a whole number in " + range + ", got the string \"5\""),
        Arguments.of(key.path(), true, key.path() + ": expected a whole number in " + range + ", got true")));
    });
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("valuesOutsideEveryRange")
  void refusesAValueOutsideTheKeysRangeInOneLineNamingKeyValueAndRange(String path, Object value, String expected) {
    JsonObject json = withValue(path, value);
    ConfigException error = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(json, Map.of()));
    assertEquals(expected, error.getMessage());
    assertFalse(error.getMessage().contains("\n"));
  }

  @Test
  void acceptsEveryKeyAtTheTopOfItsRange() {
    JsonObject json = minimal();
    KEYS.forEach(key -> set(json, key.path(), key.max()));
    HookcastConfig config = HookcastConfig.fromJson(json, Map.of());
    assertEquals(2_147_483_639L, config.http().maxBodyBytes());
    assertEquals(1L << 40, config.http().maxBufferedBytes());
    assertEquals(1_000_000, config.backends().get(0).maxQueued());
    assertEquals(600_000, config.backends().get(0).retry().maxBackoffMs());
    assertEquals(65_535, config.demo().backends().get(0).port());
  }

  @Test
  void acceptsEveryKeyAtTheBottomOfItsRange() {
    JsonObject json = minimal();
    KEYS.forEach(key -> set(json, key.path(), key.min()));
    // The one cross-key rule: the sender's connection must outlive the longest delivery (1 ms here) by a second.
    set(json, "http.idleTimeoutMs", 1_002);
    HookcastConfig config = HookcastConfig.fromJson(json, Map.of());
    assertEquals(0, config.http().port());
    assertEquals(1, config.backends().get(0).timeoutMs());
    assertEquals(0, config.delivery().maxQueued());
    assertEquals(0, config.reload().scanPeriodMs());
  }

  @Test
  void aWholeNumberWrittenWithAnExponentOrFractionIsTheSameNumber() {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("""
      {"delivery": {"timeoutMs": 5e3, "maxQueued": 0.0}, "http": {"maxBodyBytes": 1048576.000},
       "backends": [{"name": "a", "url": "http://x/"}]}"""), Map.of());
    assertEquals(5_000, config.delivery().timeoutMs());
    assertEquals(0, config.delivery().maxQueued());
    assertEquals(1_048_576, config.http().maxBodyBytes());
  }

  @Test
  void aValueAsJsonTextIsQuotedAsTheOperatorWroteIt() {
    ConfigException huge = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject("""
      {"delivery": {"timeoutMs": 1.5e300}, "backends": [{"name": "a", "url": "http://x/"}]}"""), Map.of()));
    assertEquals("delivery.timeoutMs: 1.5e300 is out of range 1..600000", huge.getMessage());
    ConfigException tiny = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject("""
      {"delivery": {"timeoutMs": 1e-300}, "backends": [{"name": "a", "url": "http://x/"}]}"""), Map.of()));
    assertEquals("delivery.timeoutMs: 1e-300 is not a whole number; expected one in 1..600000", tiny.getMessage());
  }

  @Test
  void aNumberFromTheEnvironmentIsCheckedAsTheKeyItSets() {
    ConfigException tooLarge = assertThrows(ConfigException.class,
      () -> HookcastConfig.fromJson(minimal(), Map.of("HOOKCAST_HTTP_PORT", "99999999999999999999")));
    assertEquals("http.port: 99999999999999999999 is out of range 0..65535 (set by HOOKCAST_HTTP_PORT)", tooLarge.getMessage());
    ConfigException notANumber = assertThrows(ConfigException.class,
      () -> HookcastConfig.fromJson(minimal(), Map.of("HOOKCAST_CLUSTER_PORT", "57O1")));
    assertEquals("HOOKCAST_CLUSTER_PORT: '57O1' is not a whole number", notANumber.getMessage());
  }

  private static JsonObject minimal() {
    return new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "a").put("url", "http://x/")))
      .put("demo", new JsonObject().put("backends", new JsonArray().add(new JsonObject().put("name", "a"))));
  }

  private static JsonObject withValue(String path, Object value) {
    JsonObject json = minimal();
    set(json, path, value);
    return json;
  }

  /** Puts {@code value} at a dotted path such as {@code backends[0].retry.maxAttempts}, creating objects on the way. */
  private static void set(JsonObject root, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject at = root;
    for (int i = 0; i < parts.length - 1; i++) {
      String part = parts[i];
      if (part.endsWith("[0]")) {
        at = at.getJsonArray(part.substring(0, part.length() - 3)).getJsonObject(0);
      } else {
        if (!at.containsKey(part)) {
          at.put(part, new JsonObject());
        }
        at = at.getJsonObject(part);
      }
    }
    at.put(parts[parts.length - 1], value);
  }
}
