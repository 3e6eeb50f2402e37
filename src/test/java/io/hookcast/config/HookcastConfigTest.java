package io.hookcast.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HookcastConfigTest {

  @Test
  void appliesDocumentedDefaults() {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("""
      {"backends": [{"name": "one", "url": "http://127.0.0.1:5001/"}]}"""));
    assertEquals("0.0.0.0", config.http().host());
    assertEquals(8080, config.http().port());
    assertEquals(25L * 1024 * 1024, config.http().maxBodyBytes());
    assertEquals(10_000, config.delivery().timeoutMs());
    assertEquals(10_000, config.backends().get(0).timeoutMs());
    assertEquals(64, config.backends().get(0).maxConnections());
    assertEquals(0, config.demo().backends().size());
    assertEquals(Set.of(Role.INGRESS, Role.FORWARDER), config.roles());
    assertEquals(new ClusterConfig("cluster.xml", "127.0.0.1", 5701, List.of("127.0.0.1"), null), config.cluster());
  }

  @Test
  void answerDetailIsFullByDefaultAndEitherFullOrStatus() {
    String backends = "\"backends\": [{\"name\": \"one\", \"url\": \"http://127.0.0.1:5001/\"}]";
    assertEquals(AnswerDetail.FULL, HookcastConfig.fromJson(new JsonObject("{" + backends + "}")).http().answerDetail());
    assertEquals(AnswerDetail.STATUS, HookcastConfig.fromJson(new JsonObject(
      "{\"http\": {\"answerDetail\": \"status\"}, " + backends + "}")).http().answerDetail());
    ConfigException refused = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject(
      "{\"http\": {\"answerDetail\": \"everything\"}, " + backends + "}")));
    assertEquals("http.answerDetail: 'everything' is not one of \"full\", \"status\"", refused.getMessage());
  }

  @Test
  void logLinesAreTextByDefaultOrJsonFromTheFileOrTheEnvironment() {
    String backends = "\"backends\": [{\"name\": \"one\", \"url\": \"http://127.0.0.1:5001/\"}]";
    assertEquals(LogConfig.Format.TEXT, HookcastConfig.fromJson(new JsonObject("{" + backends + "}"), Map.of()).log().format());
    assertEquals(LogConfig.Format.JSON, HookcastConfig.fromJson(new JsonObject(
      "{\"log\": {\"format\": \"json\"}, " + backends + "}"), Map.of()).log().format());
    assertEquals(LogConfig.Format.JSON, HookcastConfig.fromJson(new JsonObject("{" + backends + "}"),
      Map.of("HOOKCAST_LOG_FORMAT", "json")).log().format());
    ConfigException refused = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject(
      "{\"log\": {\"format\": \"xml\"}, " + backends + "}"), Map.of()));
    assertEquals("log.format: 'xml' is not one of \"text\", \"json\"", refused.getMessage());
    ConfigException unknown = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject(
      "{\"log\": {\"level\": \"debug\"}, " + backends + "}"), Map.of()));
    assertTrue(unknown.getMessage().startsWith("log.level: "), unknown.getMessage());
  }

  @Test
  void environmentSetsWhatANodeMaySetForItself() {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("""
      {"roles": ["ingress", "forwarder"], "cluster": {"members": ["10.0.0.1"]},
       "backends": [{"name": "one", "url": "http://127.0.0.1:5001/"}]}"""), Map.of(
      "HOOKCAST_NODE_NAME", "b",
      "HOOKCAST_ROLES", "forwarder",
      "HOOKCAST_HTTP_PORT", "8181",
      "HOOKCAST_ADMIN_PORT", "9181",
      "HOOKCAST_CLUSTER_HOST", "127.0.0.2",
      "HOOKCAST_CLUSTER_PORT", "5801",
      "HOOKCAST_CLUSTER_MEMBERS", "127.0.0.1:5701, 127.0.0.1:5702",
      "HOOKCAST_CLUSTER_CONFIG", "/etc/hookcast/cluster.xml"));
    assertEquals("b", config.nodeName());
    assertEquals(Set.of(Role.FORWARDER), config.roles());
    assertEquals(8181, config.http().port());
    assertEquals(9181, config.admin().port());
    assertEquals(new ClusterConfig("/etc/hookcast/cluster.xml", "127.0.0.2", 5801, List.of("127.0.0.1:5701", "127.0.0.1:5702"), null),
      config.cluster());
  }

  @Test
  void resilienceSettingsHaveDefaultsAndBackendsOverrideThemKeyByKey() {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("""
      {"delivery": {"retry": {"maxAttempts": 5}, "circuitBreaker": {"resetTimeoutMs": 2000}, "maxInFlight": 8},
       "backends": [{"name": "one", "url": "http://a/"},
                    {"name": "two", "url": "http://b/", "retry": {"initialBackoffMs": 50}, "circuitBreaker": {"failureThreshold": 2},
                     "maxQueued": 0}]}"""));
    BackendConfig one = config.backends().get(0);
    BackendConfig two = config.backends().get(1);
    assertEquals(new RetryConfig(5, 100, 2_000), one.retry());
    assertEquals(new RetryConfig(5, 50, 2_000), two.retry());
    assertEquals(new CircuitBreakerConfig(5, 2_000), one.circuitBreaker());
    assertEquals(new CircuitBreakerConfig(2, 2_000), two.circuitBreaker());
    assertEquals(8, two.maxInFlight());
    assertEquals(0, two.maxQueued());
    assertEquals(512, one.maxQueued());
    assertEquals(new AdminConfig("127.0.0.1", 9080, null, null, 1_000, List.of()), config.admin());
    assertEquals(new ReloadConfig(2_000), config.reload());
    assertEquals(1_000, config.http().maxConcurrentWebhooks());
    assertEquals(Runtime.getRuntime().maxMemory() / 2, config.http().maxBufferedBytes());
    assertEquals(30_000, config.http().idleTimeoutMs());
    assertEquals(30_000, config.http().requestTimeoutMs());
  }

  @Test
  void backendTimeoutOverridesTheDeliveryDefault() {
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("""
      {"delivery": {"timeoutMs": 3000},
       "backends": [{"name": "one", "url": "http://a:5001/", "timeoutMs": 500}, {"name": "two", "url": "https://b/x/"}]}"""));
    assertEquals(500, config.backends().get(0).timeoutMs());
    assertEquals(3000, config.backends().get(1).timeoutMs());
    assertEquals(443, config.backends().get(1).port());
    assertEquals("/x", config.backends().get(1).basePath());
  }

  @Test
  void theShippedDefaultConfigIsValid() {
    HookcastConfig config = HookcastConfig.fromJson(ConfigFile.read(ConfigFile.DEFAULT_PATH));
    assertEquals(2, config.backends().size());
    assertEquals(2, config.demo().backends().size());
  }

  @Test
  void theShippedComposeConfigIsValid() {
    HookcastConfig config = HookcastConfig.fromJson(ConfigFile.read("conf/compose.json"));
    assertEquals("backend_one", config.backends().get(0).host());
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
      Arguments.of("{}", "backends: missing"),
      Arguments.of("{\"backends\": []}", "backends: the list is empty"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}, {\"name\": \"a\", \"url\": \"http://y/\"}]}",
        "backends[1].name: duplicate backend name 'a'"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"ftp://x/\"}]}", "backends[0].url: 'ftp://x/' is not an http:// or https:// URL"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"not a url\"}]}", "backends[0].url: 'not a url' is not a valid URL"),
      Arguments.of("{\"backends\": [{\"name\": \"a\"}]}", "backends[0].url: missing"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \" \"}]}", "backends[0].url: ' ' must not be blank"),
      Arguments.of("{\"store\": {\"url\": \"mysql://db/h\"}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "store.url: 'mysql://db/h' is not a postgresql://host:port/database URL"),
      Arguments.of("{\"cluster\": {\"members\": [\"a\", \" \"]}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "cluster.members[1]: ' ' is not \"host\" or \"host:port\""),
      Arguments.of("{\"nodeName\": \"a\\u0007b\", \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "nodeName: 'a\u0007b' must be 1 to 255 characters without control characters"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"timeoutMs\": -5}]}", "backends[0].timeoutMs: -5 is out of range 1..600000"),
      Arguments.of("{\"delivery\": {\"timeoutMs\": -1}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "delivery.timeoutMs: -1 is out of range 1..600000"),
      Arguments.of("{\"http\": {\"port\": 70000}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "http.port: 70000 is out of range 0..65535"),
      Arguments.of("{\"http\": {\"port\": \"80\"}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "http.port: expected a whole number in 0..65535, got the string \"80\""),
      Arguments.of("{\"http\": {\"prot\": 80}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "http.prot: unknown key"),
      Arguments.of("{\"backends\": [{\"name\": \"a b\", \"url\": \"http://x/\"}]}", "backends[0].name: 'a b' must be 1 to 64 letters"),
      Arguments.of("{\"roles\": [\"router\"], \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "roles[0]: 'router' is not one of \"ingress\", \"forwarder\""),
      Arguments.of("{\"roles\": [], \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "roles: expected a non-empty list"),
      Arguments.of("{\"delivery\": {\"retry\": {\"initialBackoffMs\": 500, \"maxBackoffMs\": 100}}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "delivery.retry.maxBackoffMs: 100 is less than initialBackoffMs (500)"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"circuitBreaker\": {\"failureThreshold\": 0}}]}",
        "backends[0].circuitBreaker.failureThreshold: 0 is out of range 1..10000"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"maxQueued\": -1}]}", "backends[0].maxQueued: -1 is out of range 0..1000000"),
      Arguments.of("{\"http\": {\"idleTimeoutMs\": 5000}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"timeoutMs\": 8000}]}",
        "http.idleTimeoutMs: 5000 must be longer than the longest backend timeoutMs (8000) plus 1000 ms"),
      Arguments.of("{\"store\": {\"timeoutMs\": 60000}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}],"
          + " \"routes\": [{\"path\": \"/\", \"backends\": [\"a\"], \"mode\": \"async\"}]}",
        "http.idleTimeoutMs: 30000 must be longer than store.timeoutMs (60000) plus 1000 ms: an async route's answer waits for the store"),
      Arguments.of("{\"admin\": {\"port\": -2}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "admin.port: -2 is out of range 0..65535"),
      Arguments.of("{\"cluster\": {\"members\": \"a\"}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "cluster.members: expected a list"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x:99999/\"}]}", "backends[0].url: 'http://x:99999/' has an invalid port"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x:0/\"}]}", "backends[0].url: 'http://x:0/' has an invalid port"),
      Arguments.of("{\"http\": {\"maxBodyBytes\": 100000, \"maxBufferedBytes\": 50000}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "http.maxBufferedBytes: 50000 is less than http.maxBodyBytes (100000): a body between the two would be refused as often as it is"
          + " sent; raise it, or lower http.maxBodyBytes"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badConfigs")
  void refusesBadConfigNamingTheKeyAndTheProblem(String json, String expectedMessageStart) {
    ConfigException error = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject(json)));
    assertEquals(expectedMessageStart, error.getMessage().substring(0, Math.min(expectedMessageStart.length(), error.getMessage().length())),
      error.getMessage());
  }

  @Test
  void theAccessLogRedactsQueryValuesUnlessAskedForTheFullQuery() {
    String backends = "\"backends\": [{\"name\": \"a\", \"url\": \"http://127.0.0.1:5001/\"}]";
    assertEquals(new AccessLogConfig(true, false), HookcastConfig.fromJson(new JsonObject("{" + backends + "}")).http().accessLog());
    assertEquals(new AccessLogConfig(false, false),
      HookcastConfig.fromJson(new JsonObject("{\"http\": {\"accessLog\": false}, " + backends + "}")).http().accessLog());
    assertEquals(new AccessLogConfig(true, true),
      HookcastConfig.fromJson(new JsonObject("{\"http\": {\"accessLog\": {\"query\": \"full\"}}, " + backends + "}")).http().accessLog());
    ConfigException refused = assertThrows(ConfigException.class, () -> HookcastConfig.fromJson(new JsonObject(
      "{\"http\": {\"accessLog\": {\"query\": \"none\"}}, " + backends + "}")));
    assertEquals("http.accessLog.query: 'none' is not one of \"redacted\", \"full\"", refused.getMessage());
  }
}
