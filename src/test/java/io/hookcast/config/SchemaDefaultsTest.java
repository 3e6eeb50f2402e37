package io.hookcast.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The defaults come from the schema; the few constants that other code still names (tests, the store's tools) must
 * say the same, or a change to the schema would leave them behind.
 */
class SchemaDefaultsTest {

  @Test
  void theRecordsConstantsAreTheSchemasDefaults() {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("""
      {"backends": [{"name": "ci", "url": "http://127.0.0.1:9/"}],
       "routes": [{"path": "/", "backends": ["ci"], "mode": "async", "verify": {"scheme": "slack", "secretEnv": "S"}}],
       "http": {"tls": {"certFile": "c.pem", "keyFile": "k.pem"}}}"""), Map.of("S", "s3cret"));
    assertEquals(HttpConfig.DEFAULT_MAX_BODY_BYTES, config.http().maxBodyBytes());
    assertEquals(TlsConfig.DEFAULT_RELOAD_CHECK_MS, config.http().tls().reloadCheckMs());
    assertEquals(RetryConfig.DEFAULT, config.delivery().retry());
    assertEquals(CircuitBreakerConfig.DEFAULT, config.delivery().circuitBreaker());
    assertEquals(AsyncDeliveryConfig.DEFAULT_SCHEDULE_MS, config.delivery().async().scheduleMs());
    assertEquals(VerifyConfig.DEFAULT_TOLERANCE_SECONDS, config.routes().get(0).verify().toleranceSeconds());
    assertEquals(RouteConfig.DedupConfig.DEFAULT_WINDOW_HOURS, config.routes().get(0).dedup().windowHours());
    assertEquals(RouteConfig.DEFAULT_METHODS, config.routes().get(0).methods());
    assertEquals(new StoreConfig(StoreConfig.DEFAULT_PATH, null, null, null, StoreConfig.DEFAULT_RETENTION_HOURS,
      StoreConfig.DEFAULT_TIMEOUT_MS), config.store());
    assertEquals(AdminConfig.DEFAULT_REDACT_HEADERS, config.admin().redactHeaders());
    assertEquals(ClusterConfig.DEFAULT_CONFIG_FILE, config.cluster().configFile());
    assertEquals(List.of("127.0.0.1"), config.cluster().members());
  }
}
