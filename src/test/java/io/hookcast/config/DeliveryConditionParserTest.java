package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeliveryConditionParserTest {

  private static final List<String> BACKENDS = List.of("ci", "audit", "billing");

  @Test
  void parsesTheDocumentedExample() {
    Map<String, DeliveryCondition> conditions = parse("""
      {"ci": {"header": "X-GitHub-Event", "in": ["push", "pull_request"]},
       "audit": {"json": "/action", "equals": "opened"}}""");
    assertEquals(Map.of(
      "ci", new DeliveryCondition.HeaderIn("X-GitHub-Event", List.of("push", "pull_request")),
      "audit", new DeliveryCondition.JsonIn("/action", List.of("opened"))), conditions);
  }

  @Test
  void combinesConditionsAndHoldsNumbersAsJsonDoes() {
    Map<String, DeliveryCondition> conditions = parse("""
      {"billing": {"any": [
         {"all": [{"header": "X-GitHub-Event", "equals": "issues"}, {"json": "/issue/number", "in": [1, 2.50, true]}]},
         {"json": "", "equals": "ping"}]}}""");
    assertEquals(new DeliveryCondition.Any(List.of(
      new DeliveryCondition.All(List.of(
        new DeliveryCondition.HeaderIn("X-GitHub-Event", List.of("issues")),
        new DeliveryCondition.JsonIn("/issue/number", List.of(BigDecimal.ONE, new BigDecimal("2.5"), true)))),
      new DeliveryCondition.JsonIn("", List.of("ping")))), conditions.get("billing"));
  }

  @Test
  void refusesAConditionForABackendNotOnTheRoute() {
    assertRefused("routes[0].deliver.cj: 'cj' is not a backend of this route (its backends: ci, audit, billing)",
      "{\"cj\": {\"header\": \"X-GitHub-Event\", \"equals\": \"push\"}}");
  }

  @Test
  void refusesUnknownShapesNamingTheKeyPath() {
    assertRefused("routes[0].deliver.ci: expected {\"header\": name, \"equals\" or \"in\": …}, {\"json\": \"/pointer\", "
      + "\"equals\" or \"in\": …}, {\"all\": [...]} or {\"any\": [...]}, got an object with keys query", "{\"ci\": {\"query\": \"x\"}}");
    assertRefused("routes[0].deliver.ci: expected {\"header\": name, \"equals\" or \"in\": …}, {\"json\": \"/pointer\", "
      + "\"equals\" or \"in\": …}, {\"all\": [...]} or {\"any\": [...]}, got the string \"push\"", "{\"ci\": \"push\"}");
    assertRefused("routes[0].deliver.ci.all[1].any[0].matches: unknown key (known keys here: equals, header, in)", """
      {"ci": {"all": [{"header": "A", "equals": "1"},
                      {"any": [{"header": "B", "equals": "2", "matches": "x"}]}]}}""");
    assertRefused("routes[0].deliver.ci.any: unknown key (known keys here: all)", "{\"ci\": {\"all\": [], \"any\": []}}");
    assertRefused("routes[0].deliver.ci.all: expected a non-empty list of conditions, got a list", "{\"ci\": {\"all\": []}}");
  }

  @Test
  void refusesValuesThatCannotMatch() {
    assertRefused("routes[0].deliver.ci: give exactly one of \"equals\" (one value) or \"in\" (a list of values)",
      "{\"ci\": {\"header\": \"X-GitHub-Event\"}}");
    assertRefused("routes[0].deliver.ci: give exactly one of \"equals\" (one value) or \"in\" (a list of values)",
      "{\"ci\": {\"header\": \"X-GitHub-Event\", \"equals\": \"push\", \"in\": [\"push\"]}}");
    assertRefused("routes[0].deliver.ci.in: expected a non-empty list of values, got a list", "{\"ci\": {\"header\": \"X\", \"in\": []}}");
    assertRefused("routes[0].deliver.ci.in[1]: expected a header value (a string), got 3", "{\"ci\": {\"header\": \"X\", \"in\": [\"a\", 3]}}");
    assertRefused("routes[0].deliver.audit.equals: expected a JSON value to compare (a string, number or boolean), got null",
      "{\"audit\": {\"json\": \"/action\", \"equals\": null}}");
    assertRefused("routes[0].deliver.audit.in[0]: expected a JSON value to compare (a string, number or boolean), got an object",
      "{\"audit\": {\"json\": \"/action\", \"in\": [{}]}}");
    assertRefused("routes[0].deliver.audit.in[1]: a number beyond ±1.8e308, which no JSON body's number can equal",
      "{\"audit\": {\"json\": \"/n\", \"in\": [1, 1e400]}}");
    assertRefused("routes[0].deliver.audit.any[0].equals: a number beyond ±1.8e308, which no JSON body's number can equal",
      "{\"audit\": {\"any\": [{\"json\": \"/n\", \"equals\": -1e400}]}}");
    assertRefused("routes[0].deliver.audit.json: 'action' is not a JSON Pointer (RFC 6901): empty or starting with '/', as in \"/action\","
      + " with '~' only in ~0 and ~1",
      "{\"audit\": {\"json\": \"action\", \"equals\": \"opened\"}}");
    assertRefused("routes[0].deliver.audit.json: '/a~2b' is not a JSON Pointer (RFC 6901): empty or starting with '/', as in \"/action\","
      + " with '~' only in ~0 and ~1",
      "{\"audit\": {\"json\": \"/a~2b\", \"equals\": \"opened\"}}");
    assertRefused("routes[0].deliver.ci.header: ' ' must not be blank", "{\"ci\": {\"header\": \" \", \"equals\": \"push\"}}");
  }

  /** Through the whole parse, as the schema checks the shapes: a route to the three backends with this {@code deliver}. */
  private static Map<String, DeliveryCondition> parse(String deliver) {
    JsonArray backends = new JsonArray(BACKENDS.stream().map(name -> new JsonObject().put("name", name).put("url", "http://127.0.0.1:9/")).toList());
    JsonObject route = new JsonObject().put("path", "/").put("backends", new JsonArray(BACKENDS)).put("deliver", new JsonObject(deliver));
    return HookcastConfig.fromJson(new JsonObject().put("backends", backends).put("routes", JsonArray.of(route)), Map.of()).routes().get(0).deliver();
  }

  private static void assertRefused(String message, String json) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
    assertEquals(message, e.getMessage());
  }
}
