package io.hookcast.config;

import io.hookcast.config.RouteConfig.DedupConfig;
import io.hookcast.config.RouteConfig.Mode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutesConfigTest {

  private static final String BACKENDS = """
    "backends": [{"name": "ci", "url": "http://127.0.0.1:5001/"}, {"name": "audit", "url": "http://127.0.0.1:5002/",
                  "async": {"schedule": ["1s"]}}]""";

  private static HookcastConfig parse(String rest) {
    return HookcastConfig.fromJson(new JsonObject("{" + BACKENDS + (rest.isEmpty() ? "" : ", " + rest) + "}"), Map.of());
  }

  /** A POST route that verifies no signature, delivers every webhook to every backend and answers with the aggregate. */
  private static RouteConfig route(String path, List<String> backends, Mode mode) {
    return new RouteConfig(path, backends, mode, new DedupConfig(DedupConfig.Key.HEADER, DedupConfig.DEFAULT_HEADERS, 24), null,
      Map.of(), null, List.of("POST"), null);
  }

  private static String refusal(String rest) {
    return assertThrows(ConfigException.class, () -> parse(rest)).getMessage();
  }

  @Test
  void withoutRoutesEveryBackendGetsEveryWebhookSynchronously() {
    HookcastConfig config = parse("");
    assertEquals(List.of(route("/", List.of("ci", "audit"), Mode.SYNC)), config.routes());
    assertEquals(false, config.hasAsyncRoutes());
  }

  @Test
  void routesKeepTheirPathsBackendsAndModes() {
    HookcastConfig config = parse("""
      "routes": [{"path": "/github/", "backends": ["ci", "audit"], "mode": "async"},
                 {"path": "/", "backends": ["ci"]}]""");
    assertEquals(route("/github", List.of("ci", "audit"), Mode.ASYNC), config.routes().get(0));
    assertEquals(route("/", List.of("ci"), Mode.SYNC), config.routes().get(1));
    assertTrue(config.hasAsyncRoutes());
  }

  @Test
  void dedupCanBeTurnedOffOrGivenItsOwnHeaderAndWindow() {
    HookcastConfig config = parse("""
      "routes": [{"path": "/a", "backends": ["ci"], "mode": "async", "dedup": false},
                 {"path": "/b", "backends": ["ci"], "mode": "async", "dedup": {"header": "X-Event-Id", "windowHours": 2}}]""");
    assertEquals(new DedupConfig(DedupConfig.Key.HEADER, List.of(), 24), config.routes().get(0).dedup());
    assertEquals(false, config.routes().get(0).dedup().enabled());
    assertEquals(new DedupConfig(DedupConfig.Key.HEADER, List.of("X-Event-Id"), 2), config.routes().get(1).dedup());
  }

  /** A route verified by {@code scheme}, with {@code dedup} ("" for none), parsed with a secret for it. */
  private static RouteConfig verifiedRoute(String scheme, String dedup) {
    String route = "{\"path\": \"/\", \"backends\": [\"ci\"], \"mode\": \"async\", \"verify\": {\"scheme\": \"" + scheme
      + "\", \"secretEnv\": \"S\"}" + (dedup.isEmpty() ? "" : ", \"dedup\": " + dedup) + "}";
    return HookcastConfig.fromJson(new JsonObject("{" + BACKENDS + ", \"routes\": [" + route + "]}"),
      Map.of("S", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).routes().get(0);
  }

  @Test
  void onAVerifiedRouteTheSenderIdIsTheSignedIdOrElseADigestOfTheBody() {
    assertEquals(new DedupConfig(DedupConfig.Key.HEADER, List.of("webhook-id", "svix-id"), 24),
      verifiedRoute("standard-webhooks", "").dedup());
    assertEquals(new DedupConfig(DedupConfig.Key.HEADER, List.of("webhook-id"), 24),
      verifiedRoute("standard-webhooks", "{\"header\": \"webhook-id\"}").dedup());
    for (String scheme : List.of("github", "stripe", "shopify", "slack")) {
      assertEquals(new DedupConfig(DedupConfig.Key.BODY, List.of(), 24), verifiedRoute(scheme, "").dedup(), scheme);
    }
    assertEquals(new DedupConfig(DedupConfig.Key.BODY, List.of(), 6), verifiedRoute("standard-webhooks",
      "{\"key\": \"body\", \"windowHours\": 6}").dedup());
    assertEquals(new DedupConfig(DedupConfig.Key.BODY, List.of(), 24), parse("""
      "routes": [{"path": "/", "backends": ["ci"], "mode": "async", "dedup": {"key": "body"}}]""").routes().get(0).dedup());
  }

  @Test
  void routePathsThatDifferOnlyInLetterCaseStopStartup() {
    assertEquals("routes[1].path: '/x' differs from routes[0].path '/X' only in letter case: the ingress refuses a path that"
      + " letter case could take to another route, so every webhook to one of them would be refused", refusal("""
      "routes": [{"path": "/X", "backends": ["ci"]}, {"path": "/x/", "backends": ["ci"]}]"""));
    // Overlapping in another case is taken: only the paths that letter case could take to the other route are refused.
    assertEquals(List.of("/github", "/GitHub/push", "/githubx", "/GitLab", "/"), parse("""
      "routes": [{"path": "/github", "backends": ["ci"]}, {"path": "/GitHub/push", "backends": ["ci"]},
                 {"path": "/githubx", "backends": ["ci"]}, {"path": "/GitLab", "backends": ["ci"]}, {"path": "/", "backends": ["ci"]}]""")
      .routes().stream().map(RouteConfig::path).toList());
  }

  @Test
  void aSenderIdHeaderTheSignatureDoesNotCoverStopsStartupNamingTheKey() {
    ConfigException unsigned = assertThrows(ConfigException.class, () -> verifiedRoute("github", "{\"key\": \"header\"}"));
    assertTrue(unsigned.getMessage().startsWith("routes[0].dedup.key: \"header\" on a route verified by github"), unsigned.getMessage());
    ConfigException other = assertThrows(ConfigException.class, () -> verifiedRoute("standard-webhooks", "{\"header\": \"X-Id\"}"));
    assertTrue(other.getMessage().startsWith("routes[0].dedup.header: "), other.getMessage());
    // svix-id is signed only when no webhook-id came with it: the verifier checks the first of the two.
    ConfigException svixFirst = assertThrows(ConfigException.class, () -> verifiedRoute("standard-webhooks", "{\"header\": \"svix-id\"}"));
    assertTrue(svixFirst.getMessage().startsWith("routes[0].dedup.header: "), svixFirst.getMessage());
    assertTrue(refusal("""
      "routes": [{"path": "/", "backends": ["ci"], "mode": "async", "dedup": {"key": "uuid"}}]""")
      .startsWith("routes[0].dedup.key: 'uuid' is not"));
  }

  @Test
  void theAsyncScheduleIsReadAsDurationsWithPerBackendOverrides() {
    HookcastConfig config = parse("""
      "delivery": {"async": {"schedule": ["500ms", "5s", "5m", "2h", "1d"], "leaseMs": 30000}}""");
    assertEquals(List.of(500L, 5_000L, 300_000L, 7_200_000L, 86_400_000L), config.delivery().async().scheduleMs());
    assertEquals(30_000, config.delivery().async().leaseMs());
    assertEquals(config.delivery().async().scheduleMs(), config.backends().get(0).asyncScheduleMs());
    assertEquals(List.of(1_000L), config.backends().get(1).asyncScheduleMs());
  }

  @Test
  void aWaitThatIsNoDurationOrLongerThanAWeekIsRefusedNamingIt() {
    assertEquals("delivery.async.schedule[1]: '5 min' is not a duration such as \"500ms\", \"5s\", \"5m\", \"2h\" or \"1d\"",
      refusal("\"delivery\": {\"async\": {\"schedule\": [\"5s\", \"5 min\"]}}"));
    assertEquals("delivery.async.schedule[0]: 0s is out of range 1ms..168h",
      refusal("\"delivery\": {\"async\": {\"schedule\": [\"0s\"]}}"));
    assertEquals("delivery.async.schedule[0]: 8d is out of range 1ms..168h",
      refusal("\"delivery\": {\"async\": {\"schedule\": [\"8d\"]}}"));
    assertEquals(List.of(7 * 86_400_000L, 1L), parse("\"delivery\": {\"async\": {\"schedule\": [\" 7d \", \"1ms\"]}}")
      .delivery().async().scheduleMs());
  }

  @Test
  void theDefaultScheduleRetriesForHours() {
    assertEquals(List.of(5_000L, 300_000L, 1_800_000L, 7_200_000L, 18_000_000L, 36_000_000L, 36_000_000L),
      parse("").backends().get(0).asyncScheduleMs());
  }

  @Test
  void theStoreIsEmbeddedUnderDataByDefaultAndPostgresFromTheEnvironment() {
    assertEquals(new StoreConfig(Path.of("data"), null, null, null, 168, 5_000), parse("").store());
    HookcastConfig config = HookcastConfig.fromJson(new JsonObject("{" + BACKENDS + "}"), Map.of(
      "HOOKCAST_STORE_URL", "postgresql://db:5432/hookcast", "HOOKCAST_STORE_USER", "hc", "HOOKCAST_STORE_PASSWORD", "s3cret"));
    assertEquals(new StoreConfig(Path.of("data"), "postgresql://db:5432/hookcast", "hc", "s3cret", 168, 5_000), config.store());
    assertEquals(false, config.store().toString().contains("s3cret"));
  }

  @Test
  void aRouteNamingAnUnknownBackendStopsStartupNamingIt() {
    assertEquals("routes[0].backends: the string \"billing\" is not the name of a backend in backends[] (known: ci, audit)",
      refusal("\"routes\": [{\"path\": \"/\", \"backends\": [\"billing\"]}]"));
    assertEquals("routes[0].backends: 'ci' is listed twice", refusal("\"routes\": [{\"path\": \"/\", \"backends\": [\"ci\", \"audit\", \"ci\"]}]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "\"routes\": []",
    "\"routes\": [{\"path\": \"github\", \"backends\": [\"ci\"]}]",
    "\"routes\": [{\"path\": \"/a/../b\", \"backends\": [\"ci\"]}]",
    "\"routes\": [{\"path\": \"/a\", \"backends\": [\"ci\"]}, {\"path\": \"/a/\", \"backends\": [\"ci\"]}]",
    "\"routes\": [{\"path\": \"/a\", \"backends\": []}]",
    "\"routes\": [{\"path\": \"/a\", \"backends\": [\"ci\", \"ci\"]}]",
    "\"routes\": [{\"path\": \"/a\", \"backends\": [\"ci\"], \"mode\": \"later\"}]",
    "\"routes\": [{\"path\": \"/a\", \"backends\": [\"ci\"], \"dedup\": {\"header\": 5}}]",
    "\"routes\": [{\"path\": \"/a\", \"backends\": [\"ci\"], \"colour\": \"red\"}]",
    "\"delivery\": {\"async\": {\"schedule\": [\"5 minutes\"]}}",
    "\"delivery\": {\"async\": {\"schedule\": [\"0s\"]}}",
    "\"delivery\": {\"async\": {\"schedule\": [\"8d\"]}}",
    "\"delivery\": {\"async\": {\"schedule\": \"5s\"}}",
    "\"store\": {\"url\": \"mysql://db/hookcast\"}",
    "\"store\": {\"retentionHours\": 0}",
    "\"store\": {\"path\": \"\"}"
  })
  void aBadRouteOrStoreValueStopsStartupNamingTheKey(String rest) {
    String message = refusal(rest);
    assertTrue(message.matches("^(routes|delivery\\.async|store)[\\[.:].*"), message);
  }

  @Test
  void aSyncRouteMayAnswerWithItsPrimaryBackendsResponse() {
    HookcastConfig config = parse("""
      "routes": [{"path": "/meta", "backends": ["ci", "audit"], "answer": "primary", "primary": "audit"},
                 {"path": "/", "backends": ["ci"], "answer": "aggregate"}]""");
    assertEquals("audit", config.routes().get(0).primary());
    assertEquals(null, config.routes().get(1).primary());
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "{\"path\": \"/a\", \"backends\": [\"ci\"], \"mode\": \"async\", \"answer\": \"primary\", \"primary\": \"ci\"}|routes[0].answer:",
    "{\"path\": \"/a\", \"backends\": [\"ci\"], \"answer\": \"primary\", \"primary\": \"audit\"}|routes[0].primary:",
    "{\"path\": \"/a\", \"backends\": [\"ci\"], \"answer\": \"primary\"}|routes[0].primary:",
    "{\"path\": \"/a\", \"backends\": [\"ci\"], \"primary\": \"ci\"}|routes[0].primary:",
    "{\"path\": \"/a\", \"backends\": [\"ci\"], \"answer\": \"first\"}|routes[0].answer:"
  })
  void aPrimaryAnswerThatCannotBeGivenStopsStartupNamingTheKey(String routeAndKey) {
    String[] parts = routeAndKey.split("\\|");
    String message = refusal("\"routes\": [" + parts[0] + "]");
    assertTrue(message.startsWith(parts[1]), message);
  }

  @Test
  void aRouteTakesPostUnlessItListsItsMethods() {
    HookcastConfig config = parse("""
      "routes": [{"path": "/meta", "backends": ["ci"], "methods": ["get", "POST"]}, {"path": "/", "backends": ["ci"]}]""");
    assertEquals(List.of("GET", "POST"), config.routes().get(0).methods());
    assertEquals(List.of("POST"), config.routes().get(1).methods());
  }

  @Test
  void aMethodARouteCannotTakeStopsStartupNamingTheKey() {
    assertTrue(refusal("""
      "routes": [{"path": "/", "backends": ["ci"], "methods": ["POST", "TRACE"]}]""")
      .startsWith("routes[0].methods[1]: 'TRACE' is not a method a route takes"), "TRACE");
    assertTrue(refusal("""
      "routes": [{"path": "/", "backends": ["ci"], "methods": []}]""").startsWith("routes[0].methods: expected a non-empty list"));
    assertTrue(refusal("""
      "routes": [{"path": "/", "backends": ["ci"], "methods": ["POST", "post"]}]""").startsWith("routes[0].methods[1]: POST is listed twice"));
  }

  @Test
  void aRoutePathWithPathParametersOrLongerThanTheStoreKeepsStopsStartup() {
    assertTrue(refusal("""
      "routes": [{"path": "/github;v=1", "backends": ["ci"]}]""").startsWith("routes[0].path: '/github;v=1' must start with '/' and be a plain path"));
    assertTrue(refusal("\"routes\": [{\"path\": \"/" + "a".repeat(2048) + "\", \"backends\": [\"ci\"]}]")
      .startsWith("routes[0].path: 2049 characters is longer than the 2048 the store keeps for a route"));
  }

  /** A request's path arrives with these percent-encoded (see ingress.RequestTarget), so such a route matches none. */
  @ParameterizedTest
  @ValueSource(strings = {"/café", "/hooks/{tenant}", "/a b", "/a|b", "/a\"b", "/a^b", "/a`b", "/a[0]"})
  void aRoutePathWithACharacterARequestSendsEncodedStopsStartupRatherThanNeverMatch(String path) {
    String message = refusal("\"routes\": [" + routeWithPath(path).encode() + "]");
    assertTrue(message.startsWith("routes[0].path: '" + path + "' must start with '/' and be a plain path: ASCII letters"),
      message);
  }

  @Test
  void aRoutePathTakesEveryCharacterARequestSendsAsItIs() {
    String path = "/Az09-._~!$&'()*+,=:@/x";
    assertEquals(path, parse("\"routes\": [" + routeWithPath(path).encode() + "]").routes().get(0).path());
  }

  private static JsonObject routeWithPath(String path) {
    return new JsonObject().put("path", path).put("backends", new JsonArray().add("ci"));
  }

  @Test
  void aNodeNameTheStoreCannotHoldStopsStartupNamingTheKey() {
    assertTrue(refusal("\"nodeName\": \"" + "n".repeat(256) + "\"").startsWith("nodeName: 'nnn"));
    assertEquals("n".repeat(255), parse("\"nodeName\": \"" + "n".repeat(255) + "\"").nodeName());
  }

  @Test
  void aDedupWindowLongerThanTheRetentionStopsStartupNamingBothKeys() {
    assertTrue(refusal("""
      "store": {"retentionHours": 12}, "routes": [{"path": "/", "backends": ["ci"], "mode": "async"}]""")
      .startsWith("routes[0].dedup.windowHours (24) is longer than store.retentionHours (12)"));
    assertEquals(12, parse("""
      "store": {"retentionHours": 12}, "routes": [{"path": "/", "backends": ["ci"], "mode": "async", "dedup": {"windowHours": 12}}]""")
      .routes().get(0).dedup().windowHours());
  }

  @Test
  void theStoreTimeoutIsFiveSecondsUnlessSet() {
    assertEquals(5_000, parse("").store().timeoutMs());
    assertEquals(250, parse("\"store\": {\"timeoutMs\": 250}").store().timeoutMs());
    assertTrue(refusal("\"store\": {\"timeoutMs\": 10}").startsWith("store.timeoutMs: 10 is out of range 100..600000"));
  }
}
