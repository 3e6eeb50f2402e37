package io.hookcast.route.filter;

import io.hookcast.config.DeliveryCondition;
import io.hookcast.config.DeliveryConditionParser;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryFilterTest {

  private static final List<String> BACKENDS = List.of("ci", "audit", "all-events");
  private static final Buffer OPENED = Buffer.buffer("{\"action\":\"opened\",\"number\":42,\"pull_request\":{\"draft\":false,\"labels/x\":1}}");

  @Test
  void backendsGetWhatTheirConditionMatchesAndUnnamedBackendsGetEverything() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "in": ["push", "pull_request"]},
       "audit": {"json": "/action", "equals": "opened"}}""");
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "pull_request"), OPENED));
    assertEquals(List.of("ci", "all-events"), filter.select(BACKENDS, headers("X-GitHub-Event", "push"), Buffer.buffer("{\"ref\":\"main\"}")));
    assertEquals(List.of("audit", "all-events"), filter.select(BACKENDS, headers("X-GitHub-Event", "issues"), OPENED));
    assertEquals(List.of("all-events"), filter.select(BACKENDS, headers(), Buffer.buffer("{}")));
  }

  @Test
  void headerNamesAreCaseInsensitiveValuesExactAndAnyRepeatedValueMatches() {
    DeliveryFilter filter = filter("{\"ci\": {\"header\": \"x-github-event\", \"equals\": \"push\"}}");
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "push"), Buffer.buffer()));
    assertEquals(List.of("audit", "all-events"), filter.select(BACKENDS, headers("X-GitHub-Event", "Push"), Buffer.buffer()));
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "ping", "X-GitHub-Event", "push"), Buffer.buffer()));
  }

  @Test
  void jsonConditionsFollowThePointerAndCompareNumbersAsNumbers() {
    assertEquals(BACKENDS, filter("{\"audit\": {\"json\": \"/number\", \"in\": [7, 42.0]}}").select(BACKENDS, headers(), OPENED));
    assertEquals(BACKENDS, filter("{\"audit\": {\"json\": \"/pull_request/draft\", \"equals\": false}}").select(BACKENDS, headers(), OPENED));
    assertEquals(BACKENDS, filter("{\"audit\": {\"json\": \"/pull_request/labels~1x\", \"equals\": 1}}").select(BACKENDS, headers(), OPENED));
    assertEquals(List.of("ci", "all-events"),
      filter("{\"audit\": {\"json\": \"/number\", \"equals\": \"42\"}}").select(BACKENDS, headers(), OPENED));
    assertEquals(List.of("ci", "all-events"),
      filter("{\"audit\": {\"json\": \"/missing/deeper\", \"equals\": \"x\"}}").select(BACKENDS, headers(), OPENED));
  }

  @Test
  void aNumberBeyondADoublesRangeMatchesNoNumber() {
    DeliveryFilter filter = filter("{\"audit\": {\"json\": \"/number\", \"in\": [7]}}");
    assertEquals(List.of("ci", "all-events"), filter.select(BACKENDS, headers(), Buffer.buffer("{\"number\":1e400}")));
    assertEquals(List.of("ci", "all-events"), filter.select(BACKENDS, headers(), Buffer.buffer("{\"number\":-1e400}")));
  }

  @Test
  void aBodyThatIsNotJsonSimplyDoesNotMatchJsonConditions() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "equals": "push"}, "audit": {"json": "/action", "equals": "opened"}}""");
    assertEquals(List.of("ci", "all-events"),
      filter.select(BACKENDS, headers("X-GitHub-Event", "push"), Buffer.buffer("payload=%7B%22action%22%3A%22opened%22%7D")));
    assertEquals(List.of("ci", "all-events"), filter.select(BACKENDS, headers("X-GitHub-Event", "push"), Buffer.buffer()));
    assertEquals(List.of("ci", "all-events"), filter.select(BACKENDS, headers("X-GitHub-Event", "push"), Buffer.buffer("{\"action\":")));
  }

  @Test
  void allAndAnyCombine() {
    DeliveryFilter filter = filter("""
      {"audit": {"any": [
         {"all": [{"header": "X-GitHub-Event", "equals": "pull_request"}, {"json": "/action", "in": ["opened", "closed"]}]},
         {"header": "X-GitHub-Event", "equals": "ping"}]}}""");
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "pull_request"), OPENED));
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "ping"), Buffer.buffer("not json")));
    assertEquals(List.of("ci", "all-events"), filter.select(BACKENDS, headers("X-GitHub-Event", "issues"), OPENED));
    assertEquals(List.of("ci", "all-events"),
      filter.select(BACKENDS, headers("X-GitHub-Event", "pull_request"), Buffer.buffer("{\"action\":\"edited\"}")));
  }

  @Test
  void theBodyIsParsedOnceHoweverManyConditionsLookAtIt() {
    DeliveryFilter filter = filter("""
      {"ci": {"json": "/action", "equals": "opened"},
       "audit": {"all": [{"json": "/number", "equals": 42}, {"json": "/pull_request/draft", "equals": false}]},
       "all-events": {"json": "/action", "in": ["closed"]}}""");
    AtomicInteger parses = new AtomicInteger();
    List<String> selected = filter.select(BACKENDS, new WebhookContent(headers(), OPENED, counting(parses)));
    assertEquals(List.of("ci", "audit"), selected);
    assertEquals(1, parses.get());
  }

  @Test
  void theBodyIsNotParsedWhenNoConditionNeedsIt() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "equals": "push"},
       "audit": {"any": [{"header": "X-GitHub-Event", "equals": "push"}, {"json": "/action", "equals": "opened"}]}}""");
    AtomicInteger parses = new AtomicInteger();
    assertEquals(BACKENDS, filter.select(BACKENDS, new WebhookContent(headers("X-GitHub-Event", "push"), OPENED, counting(parses))));
    assertEquals(0, parses.get());
    assertEquals(BACKENDS, DeliveryFilter.NONE.select(BACKENDS, new WebhookContent(headers(), OPENED, counting(parses))));
    assertEquals(0, parses.get());
  }

  private static Function<Buffer, Object> counting(AtomicInteger parses) {
    return body -> {
      parses.incrementAndGet();
      return Json.decodeValue(body);
    };
  }

  private static DeliveryFilter filter(String deliver) {
    Map<String, DeliveryCondition> conditions = DeliveryConditionParser.parse(new JsonObject(deliver), "routes[0].deliver.", BACKENDS);
    return new DeliveryFilter(conditions);
  }

  private static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
