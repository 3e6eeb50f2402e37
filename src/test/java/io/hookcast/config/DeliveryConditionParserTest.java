package io.hookcast.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeliveryConditionParserTest {

  private static final String PREFIX = "routes[0].deliver.";
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
    assertRefused("routes[0].deliver.ci.in[1]: a header value is a string, got 3", "{\"ci\": {\"header\": \"X\", \"in\": [\"a\", 3]}}");
    assertRefused("routes[0].deliver.audit.equals: a JSON value to compare is a string, number or boolean, got null",
      "{\"audit\": {\"json\": \"/action\", \"equals\": null}}");
    assertRefused("routes[0].deliver.audit.in[0]: a JSON value to compare is a string, number or boolean, got an object",
      "{\"audit\": {\"json\": \"/action\", \"in\": [{}]}}");
    assertRefused("routes[0].deliver.audit.json: 'action' is not a JSON Pointer; it starts with '/', as in \"/action\"",
      "{\"audit\": {\"json\": \"action\", \"equals\": \"opened\"}}");
    assertRefused("routes[0].deliver.audit.json: '/a~2b' is not a valid JSON Pointer (RFC 6901)",
      "{\"audit\": {\"json\": \"/a~2b\", \"equals\": \"opened\"}}");
    assertRefused("routes[0].deliver.ci.header: must not be empty", "{\"ci\": {\"header\": \" \", \"equals\": \"push\"}}");
  }

  private static Map<String, DeliveryCondition> parse(String json) {
    return DeliveryConditionParser.parse(new JsonObject(json), PREFIX, BACKENDS);
  }

  private static void assertRefused(String message, String json) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
    assertEquals(message, e.getMessage());
  }
}
