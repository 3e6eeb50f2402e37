package io.hookcast.route.filter;

import io.hookcast.config.DeliveryCondition;
import io.hookcast.config.DeliveryConditionParser;
import io.hookcast.route.body.BodyScanner;
import io.hookcast.route.body.BodyValues;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryFilterTest {

  private static final List<String> BACKENDS = List.of("ci", "audit", "all-events");
  private static final Buffer OPENED = Buffer.buffer("{\"action\":\"opened\",\"number\":42,\"pull_request\":{\"draft\":false,\"labels/x\":1}}");

  @Test
  void backendsGetWhatTheirConditionMatchesAndUnnamedBackendsGetEverything() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "in": ["push", "pull_request"]},
       "audit": {"json": "/action", "equals": "opened"}}""");
    assertEquals(BACKENDS, select(filter, headers("X-GitHub-Event", "pull_request"), OPENED));
    assertEquals(List.of("ci", "all-events"), select(filter, headers("X-GitHub-Event", "push"), Buffer.buffer("{\"ref\":\"main\"}")));
    assertEquals(List.of("audit", "all-events"), select(filter, headers("X-GitHub-Event", "issues"), OPENED));
    assertEquals(List.of("all-events"), select(filter, headers(), Buffer.buffer("{}")));
  }

  @Test
  void headerNamesAreCaseInsensitiveValuesExactAndAnyRepeatedValueMatches() {
    DeliveryFilter filter = filter("{\"ci\": {\"header\": \"x-github-event\", \"equals\": \"push\"}}");
    assertEquals(BACKENDS, select(filter, headers("X-GitHub-Event", "push"), Buffer.buffer()));
    assertEquals(List.of("audit", "all-events"), select(filter, headers("X-GitHub-Event", "Push"), Buffer.buffer()));
    assertEquals(BACKENDS, select(filter, headers("X-GitHub-Event", "ping", "X-GitHub-Event", "push"), Buffer.buffer()));
  }

  @Test
  void jsonConditionsFollowThePointerAndCompareNumbersAsNumbers() {
    assertEquals(BACKENDS, select(filter("{\"audit\": {\"json\": \"/number\", \"in\": [7, 42.0]}}"), headers(), OPENED));
    assertEquals(BACKENDS, select(filter("{\"audit\": {\"json\": \"/pull_request/draft\", \"equals\": false}}"), headers(), OPENED));
    assertEquals(BACKENDS, select(filter("{\"audit\": {\"json\": \"/pull_request/labels~1x\", \"equals\": 1}}"), headers(), OPENED));
    assertEquals(List.of("ci", "all-events"),
      select(filter("{\"audit\": {\"json\": \"/number\", \"equals\": \"42\"}}"), headers(), OPENED));
    assertEquals(List.of("ci", "all-events"),
      select(filter("{\"audit\": {\"json\": \"/missing/deeper\", \"equals\": \"x\"}}"), headers(), OPENED));
  }

  @Test
  void aNumberBeyondADoublesRangeMatchesNoNumber() {
    DeliveryFilter filter = filter("{\"audit\": {\"json\": \"/number\", \"in\": [7]}}");
    assertEquals(List.of("ci", "all-events"), select(filter, headers(), Buffer.buffer("{\"number\":1e400}")));
    assertEquals(List.of("ci", "all-events"), select(filter, headers(), Buffer.buffer("{\"number\":-1e400}")));
  }

  @Test
  void aBodyThatIsNotJsonSimplyDoesNotMatchJsonConditions() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "equals": "push"}, "audit": {"json": "/action", "equals": "opened"}}""");
    assertEquals(List.of("ci", "all-events"),
      select(filter, headers("X-GitHub-Event", "push"), Buffer.buffer("payload=%7B%22action%22%3A%22opened%22%7D")));
    assertEquals(List.of("ci", "all-events"), select(filter, headers("X-GitHub-Event", "push"), Buffer.buffer()));
    assertEquals(List.of("ci", "all-events"), select(filter, headers("X-GitHub-Event", "push"), Buffer.buffer("{\"action\":")));
  }

  @Test
  void allAndAnyCombine() {
    DeliveryFilter filter = filter("""
      {"audit": {"any": [
         {"all": [{"header": "X-GitHub-Event", "equals": "pull_request"}, {"json": "/action", "in": ["opened", "closed"]}]},
         {"header": "X-GitHub-Event", "equals": "ping"}]}}""");
    assertEquals(BACKENDS, select(filter, headers("X-GitHub-Event", "pull_request"), OPENED));
    assertEquals(BACKENDS, select(filter, headers("X-GitHub-Event", "ping"), Buffer.buffer("not json")));
    assertEquals(List.of("ci", "all-events"), select(filter, headers("X-GitHub-Event", "issues"), OPENED));
    assertEquals(List.of("ci", "all-events"),
      select(filter, headers("X-GitHub-Event", "pull_request"), Buffer.buffer("{\"action\":\"edited\"}")));
  }

  @Test
  void theBodyIsReadOnlyWhenTheHeadersLeaveAConditionOpen() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "equals": "push"},
       "audit": {"any": [{"header": "X-GitHub-Event", "equals": "push"}, {"json": "/action", "equals": "opened"}]}}""");
    assertFalse(filter.needsBody(headers("X-GitHub-Event", "push")));
    assertTrue(filter.needsBody(headers("X-GitHub-Event", "issues")));
    DeliveryFilter all = filter("""
      {"audit": {"all": [{"header": "X-GitHub-Event", "equals": "pull_request"}, {"json": "/action", "equals": "opened"}]}}""");
    assertFalse(all.needsBody(headers("X-GitHub-Event", "push")));
    assertTrue(all.needsBody(headers("X-GitHub-Event", "pull_request")));
    assertFalse(filter("{\"ci\": {\"header\": \"X-GitHub-Event\", \"equals\": \"push\"}}").needsBody(headers()));
    assertFalse(DeliveryFilter.NONE.needsBody(headers()));
    assertTrue(filter("{\"ci\": {\"json\": \"/action\", \"equals\": \"opened\"}}").needsBody(headers("X-GitHub-Event", "push")));
  }

  @Test
  void whatTheHeadersSettleDoesNotDependOnTheBody() {
    DeliveryFilter filter = filter("""
      {"ci": {"header": "X-GitHub-Event", "equals": "push"},
       "audit": {"any": [{"header": "X-GitHub-Event", "equals": "push"}, {"json": "/action", "equals": "opened"}]}}""");
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "push"), BodyValues.NONE));
    assertEquals(BACKENDS, filter.select(BACKENDS, headers("X-GitHub-Event", "push"), scan(filter, Buffer.buffer("{\"action\":\"closed\"}"))));
  }

  @Test
  void aPointerThatManyConditionsCompareIsReadOnce() {
    DeliveryFilter filter = filter("""
      {"ci": {"json": "/action", "equals": "opened"},
       "audit": {"all": [{"json": "/number", "equals": 42}, {"json": "/pull_request/draft", "equals": false}]},
       "all-events": {"json": "/action", "in": ["closed"]}}""");
    assertEquals(List.of("/action", "/number", "/pull_request/draft"), filter.pointers().stream().sorted().toList());
    assertEquals(List.of("ci", "audit"), select(filter, headers(), OPENED));
  }

  /** As a route selects: the body read only when the headers leave a condition open. */
  private static List<String> select(DeliveryFilter filter, MultiMap headers, Buffer body) {
    return filter.select(BACKENDS, headers, filter.needsBody(headers) ? scan(filter, body) : BodyValues.NONE);
  }

  private static BodyValues scan(DeliveryFilter filter, Buffer body) {
    return new BodyScanner(filter.pointers(), null).scan(body);
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
