package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminConfigTest {

  @Test
  void withoutATokenTheAdminListenerMustBeLoopback() {
    ConfigException refused = assertThrows(ConfigException.class, () -> parse(new JsonObject().put("host", "0.0.0.0"), Map.of()));
    assertTrue(refused.getMessage().startsWith("admin.token (or HOOKCAST_ADMIN_TOKEN) is required when admin.host (0.0.0.0) is not loopback"),
      refused.getMessage());
    assertThrows(ConfigException.class, () -> parse(new JsonObject().put("host", "10.1.2.3"), Map.of()));
    assertThrows(ConfigException.class, () -> parse(new JsonObject().put("host", "admin.example.com"), Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.9.8.7", "::1", "localhost", "LOCALHOST"})
  void aLoopbackAdminHostNeedsNoToken(String host) {
    AdminConfig admin = parse(new JsonObject().put("host", host), Map.of());
    assertNull(admin.token());
  }

  @Test
  void theTokenComesFromTheEnvironmentBeforeTheFile() {
    AdminConfig fromFile = parse(new JsonObject().put("host", "0.0.0.0").put("token", "from-file"), Map.of());
    assertEquals(new Secret(new SecretSource(SecretSource.Kind.CONFIG, "admin.token"), "from-file"), fromFile.token());
    AdminConfig blankVariable = parse(new JsonObject().put("host", "0.0.0.0").put("token", "from-file"),
      Map.of("HOOKCAST_ADMIN_TOKEN", " "));
    assertEquals(fromFile, blankVariable, "a blank variable leaves the file's token");
    assertNull(parse(new JsonObject(), Map.of("HOOKCAST_ADMIN_TOKEN", "")).token());
    AdminConfig fromEnvironment = parse(new JsonObject().put("host", "0.0.0.0").put("token", "from-file"),
      Map.of("HOOKCAST_ADMIN_TOKEN", "from-env"));
    assertEquals("from-env", fromEnvironment.token().value());
    assertEquals(new SecretSource(SecretSource.Kind.ENV, "HOOKCAST_ADMIN_TOKEN"), fromEnvironment.token().source());
    assertFalse(fromEnvironment.toString().contains("from-env"), "a printed configuration shows the token: " + fromEnvironment);
  }

  @Test
  void anEmptyTokenIsRefusedRatherThanTakenForNone() {
    ConfigException refused = assertThrows(ConfigException.class, () -> parse(new JsonObject().put("token", " "), Map.of()));
    assertTrue(refused.getMessage().startsWith("admin.token:"), refused.getMessage());
  }

  /** The message reaches the log of every refused start and reload. */
  @Test
  void aWrongSecretIsRefusedWithoutShowingIt() {
    assertEquals("admin.token: expected a string, got a number",
      assertThrows(ConfigException.class, () -> parse(new JsonObject().put("token", 839201747382L), Map.of())).getMessage());
    JsonObject store = new JsonObject().put("url", "mysql://app:hunter2@db/hooks").put("password", 12345678);
    String storeUrl = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "b").put("url", "http://127.0.0.1:1/")))
      .put("store", store.copy().put("password", "p")), Map.of())).getMessage();
    assertEquals("store.url: 'mysql://<redacted>@db/hooks' is not a postgresql://host:port/database URL", storeUrl);
    String password = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "b").put("url", "http://127.0.0.1:1/")))
      .put("store", store.copy().put("url", "postgresql://db/hooks")), Map.of())).getMessage();
    assertEquals("store.password: expected a string, got a number", password);
    String backendUrl = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "b").put("url", "http://ci:hunter2@127.0.0.1:1/"))),
      Map.of())).getMessage();
    assertEquals("backends[0].url: 'http://<redacted>@127.0.0.1:1/' must name a host (and no user info)", backendUrl);
    assertEquals("backends[0].url: 'http://<redacted>@127.0.0.1:1/' must name a host (and no user info)", backendUrlError("http://ci:p@ss/w?rd@127.0.0.1:1/"));
    assertEquals("backends[0].url: 'https://127.0.0.1/hook?<redacted>' must not have a query or fragment; the webhook's own path and"
      + " query are appended", backendUrlError("https://127.0.0.1/hook?api_key=hunter2"));
  }

  private static String backendUrlError(String url) {
    return assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "b").put("url", url))), Map.of())).getMessage();
  }

  @Test
  void recentSyncDefaultsTo1000AndZeroTurnsTheRingOff() {
    assertEquals(1_000, parse(new JsonObject(), Map.of()).recentSync());
    assertEquals(0, parse(new JsonObject().put("recentSync", 0), Map.of()).recentSync());
    ConfigException refused = assertThrows(ConfigException.class, () -> parse(new JsonObject().put("recentSync", 100_001), Map.of()));
    assertEquals("admin.recentSync: 100001 is out of range 0..100000", refused.getMessage());
  }

  private static AdminConfig parse(JsonObject admin, Map<String, String> environment) {
    return HookcastConfig.fromJson(new JsonObject().put("admin", admin)
      .put("backends", new JsonArray().add(new JsonObject().put("name", "a").put("url", "http://x/"))), environment).admin();
  }
}
