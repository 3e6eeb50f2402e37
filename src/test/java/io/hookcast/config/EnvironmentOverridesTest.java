package io.hookcast.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvironmentOverridesTest {

  private static final String BACKENDS = "{\"backends\": [{\"name\": \"one\", \"url\": \"http://127.0.0.1:5001/\"}]}";

  private static HookcastConfig parse(Map<String, String> environment) {
    return HookcastConfig.fromJson(new JsonObject(BACKENDS), environment);
  }

  private static void assertRefused(String variable, String value, String message) {
    assertEquals(message, assertThrows(ConfigException.class, () -> parse(Map.of(variable, value))).getMessage());
  }

  @Test
  void everyKeyOutsideAListIsSetByItsPathInUpperSnakeCase() {
    HookcastConfig config = parse(Map.of(
      "HOOKCAST_HTTP_MAX_BODY_BYTES", "1024",
      "HOOKCAST_HTTP_ACCESS_LOG", "false",
      "HOOKCAST_DELIVERY_RETRY_MAX_ATTEMPTS", "7",
      "HOOKCAST_ADMIN_REDACT_HEADERS", "X-Secret, Cookie",
      "HOOKCAST_TELEMETRY_SAMPLE_RATIO", "0.25",
      "HOOKCAST_CLUSTER_CONFIG_FILE", "/etc/cluster.xml"));
    assertEquals(1024, config.http().maxBodyBytes());
    assertFalse(config.http().accessLog().enabled());
    assertEquals(7, config.delivery().retry().maxAttempts());
    assertEquals(List.of("X-Secret", "Cookie"), config.admin().redactHeaders());
    assertEquals(0.25, config.telemetry().sampleRatio());
    assertEquals("/etc/cluster.xml", config.cluster().configFile());
  }

  @Test
  void theNamesFromBeforeTheRuleStillWorkAndTheRulesNameWins() {
    assertEquals("/old.xml", parse(Map.of("HOOKCAST_CLUSTER_CONFIG", "/old.xml")).cluster().configFile());
    assertEquals("/new.xml", parse(Map.of("HOOKCAST_CLUSTER_CONFIG", "/old.xml", "HOOKCAST_CLUSTER_CONFIG_FILE", "/new.xml"))
      .cluster().configFile());
  }

  @Test
  void theClusterTlsVariablesSetItsThreePaths() {
    ClusterConfig.Tls tls = parse(Map.of("HOOKCAST_CLUSTER_TLS_KEY", "k.pem", "HOOKCAST_CLUSTER_TLS_CERT", "c.pem",
      "HOOKCAST_CLUSTER_TLS_TRUST_PATH", "t.pem")).cluster().tls();
    assertEquals(new ClusterConfig.Tls("k.pem", "c.pem", "t.pem"), tls);
  }

  @Test
  void aValueThatIsNotOfTheKeysTypeNamesTheVariable() {
    assertRefused("HOOKCAST_METRICS_ENABLED", "yes", "HOOKCAST_METRICS_ENABLED: 'yes' is not true or false");
    assertRefused("HOOKCAST_TELEMETRY_SAMPLE_RATIO", "half", "HOOKCAST_TELEMETRY_SAMPLE_RATIO: 'half' is not a number");
  }

  @Test
  void aValueRefusedForItsKeyNamesTheVariableThatSetIt() {
    assertRefused("HOOKCAST_HTTP_PORT", "70000", "http.port: 70000 is out of range 0..65535 (set by HOOKCAST_HTTP_PORT)");
    assertRefused("HOOKCAST_LOG_FORMAT", "xml", "log.format: 'xml' is not one of \"text\", \"json\" (set by HOOKCAST_LOG_FORMAT)");
    assertRefused("HOOKCAST_ROLES", "ingress,fowarder",
      "roles[1]: 'fowarder' is not one of \"ingress\", \"forwarder\" (set by HOOKCAST_ROLES)");
    assertRefused("HOOKCAST_HTTP_TRUSTED_PROXIES", "10.0.0.0/40",
      "http.trustedProxies[0]: '10.0.0.0/40' has a prefix length outside 0..32 (set by HOOKCAST_HTTP_TRUSTED_PROXIES)");
    assertRefused("HOOKCAST_HTTP_IDLE_TIMEOUT_MS", "5000", "http.idleTimeoutMs: 5000 must be longer than the longest backend timeoutMs"
      + " (10000) plus 1000 ms, or a sender's connection is closed while its webhook is still being delivered"
      + " (set by HOOKCAST_HTTP_IDLE_TIMEOUT_MS)");
    assertRefused("HOOKCAST_DELIVERY_RETRY_MAX_BACKOFF_MS", "1",
      "delivery.retry.maxBackoffMs: 1 is less than initialBackoffMs (100) (set by HOOKCAST_DELIVERY_RETRY_MAX_BACKOFF_MS)");
    assertRefused("HOOKCAST_DELIVERY_ASYNC_SCHEDULE", "1s,9d",
      "delivery.async.schedule[1]: 9d is out of range 1ms..168h (set by HOOKCAST_DELIVERY_ASYNC_SCHEDULE)");
    assertRefused("HOOKCAST_TELEMETRY_OTLP_ENDPOINT", "collector:4318",
      "telemetry.otlp.endpoint: 'collector:4318' is not an http:// or https:// URL (set by HOOKCAST_TELEMETRY_OTLP_ENDPOINT)");
  }

  @Test
  void aFileValueRefusedForItsKeyNamesNoVariable() {
    assertEquals("http.port: 70000 is out of range 0..65535", assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(
      new JsonObject(BACKENDS).put("http", new JsonObject().put("port", 70000)), Map.of("HOOKCAST_HTTP_HOST", "127.0.0.1"))).getMessage());
  }

  @Test
  void aVariableSettingAKeyInsideAFileValueThatIsNoObjectIsNamed() {
    // configuration.md's own example writes "accessLog": true.
    JsonObject file = new JsonObject(BACKENDS).put("http", new JsonObject().put("accessLog", true));
    assertEquals("http.accessLog: expected an object, got true, so HOOKCAST_HTTP_ACCESS_LOG_QUERY cannot set http.accessLog.query inside it",
      assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(file, Map.of("HOOKCAST_HTTP_ACCESS_LOG_QUERY", "full")))
        .getMessage());
  }

  @Test
  void theAdminTokenSetByItsVariableIsASecretFromThatVariable() {
    SecretSource source = parse(Map.of("HOOKCAST_ADMIN_TOKEN", "t0ken")).admin().token().source();
    assertEquals(new SecretSource(SecretSource.Kind.ENV, "HOOKCAST_ADMIN_TOKEN"), source);
  }

  @Test
  void theLaunchersVariablesAndThoseAnOrchestratorMakesFromAServiceNameChangeNothing() {
    assertNull(parse(Map.of("HOOKCAST_TRANSPORT", "epoll", "HOOKCAST_JVM_OPTS", "-Xmx1g", "HOOKCAST_JAR", "/opt/h.jar",
      "HOOKCAST_CDS", "off", "HOOKCAST_PORT", "tcp://10.0.0.1:8080", "HOOKCAST_SERVICE_HOST", "10.0.0.1",
      "HOOKCAST_SERVICE_PORT", "8080", "HOOKCAST_PORT_8080_TCP_ADDR", "10.0.0.1")).cluster().tls());
  }

  @Test
  void aVariableALetterOrTwoFromAVariablesNameSetsNothingAndIsWarnedAboutNamingTheClosest() {
    Map<String, String> environment = Map.of("HOOKCAST_HTTPPORT", "9000", "HOOKCAST_ROLE", "forwarder",
      "HOOKCAST_HTTPS_PORT", "tcp://10.0.0.1:443", "HOOKCAST_HTTP_HOST", "127.0.0.1");
    assertEquals(8080, parse(environment).http().port());
    assertEquals(List.of("HOOKCAST_HTTPPORT sets no key and is ignored; did you mean HOOKCAST_HTTP_PORT (http.port)?",
      "HOOKCAST_ROLE sets no key and is ignored; did you mean HOOKCAST_ROLES (roles)?"), HookcastConfig.misspeltVariables(environment));
  }

  @Test
  void aVariableNamingAListOfObjectsOrASectionStopsStartup() {
    String written = " as a whole; write it in the config file (a section's keys have a variable each)";
    assertRefused("HOOKCAST_BACKENDS", "x", "HOOKCAST_BACKENDS: no variable sets backends" + written);
    assertRefused("HOOKCAST_HTTP", "x", "HOOKCAST_HTTP: no variable sets http" + written);
  }
}
