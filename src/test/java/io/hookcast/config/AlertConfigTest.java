package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AlertConfigTest {

  private static List<AlertConfig> parse(Object alerts) {
    return HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "ci").put("url", "http://127.0.0.1:9/")))
      .put("alerts", alerts), Map.of()).alerts();
  }

  private static String refusal(Object alerts) {
    return assertThrows(ConfigException.class, () -> parse(alerts)).getMessage();
  }

  @Test
  void aReceiverHasItsEventsAndDefaults() {
    AlertConfig slack = parse(new JsonArray().add(new JsonObject().put("url", "https://hooks.slack.com/services/T/B/X")
      .put("format", "slack").put("events", new JsonArray().add("backend.circuit_open").add("delivery.dead")))).get(0);
    assertEquals(Set.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.DEAD), slack.events());
    assertEquals(AlertConfig.Format.SLACK, slack.format());
    assertEquals(300, slack.backlogAgeSeconds());
    assertEquals(300, slack.quietSeconds());
    assertEquals("hooks.slack.com", slack.host());
    assertEquals(443, slack.port());
    assertNull(slack.sign());
    assertEquals(List.of(), HookcastConfig.fromJson(new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "ci").put("url", "http://127.0.0.1:9/"))), Map.of()).alerts());
  }

  @Test
  void anUnknownEventOrFormatOrNoEventsIsRefusedNamingTheKey() {
    assertEquals("alerts[0].events: 'backend.down' is not one of [backend.circuit_open, backend.recovered, delivery.dead, backlog.age, store.unavailable, store.recovered]",
      refusal(new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:1/").put("events", "backend.down"))));
    assertEquals("alerts[0].events[1]: 'backend.down' is not one of [backend.circuit_open, backend.recovered, delivery.dead, backlog.age, store.unavailable, store.recovered]",
      refusal(new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:1/").put("events", JsonArray.of("delivery.dead", "backend.down")))));
    assertEquals("alerts[0].events: missing; list what this receiver gets, from [backend.circuit_open, backend.recovered,"
      + " delivery.dead, backlog.age, store.unavailable, store.recovered]", refusal(new JsonArray().add(new JsonObject().put("url", "http://127.0.0.1:1/"))));
    assertEquals("alerts[0].format: 'xml' is not one of \"json\", \"slack\"", refusal(new JsonArray().add(new JsonObject()
      .put("url", "http://127.0.0.1:1/").put("events", "delivery.dead").put("format", "xml"))));
    assertEquals("alerts: expected a list of receivers, got an object", refusal(new JsonObject()));
  }
}
