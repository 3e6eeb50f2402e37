package io.hookcast.alert;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One operational event, as a receiver gets it.
 *
 * @param type    one of the events of {@link io.hookcast.config.AlertConfig}, such as {@code backend.circuit_open}
 * @param backend the backend it is about; {@code null} for the store's events
 * @param node    the node that saw it
 * @param time    when
 * @param text    one line for a person
 * @param link    the operator API path that shows more (the message, or the backends)
 * @param details the event's figures (message id, attempts, pending deliveries, age), by name
 */
public record Alert(String type, String backend, String node, Instant time, String text, String link, JsonObject details) {

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("type", type);
    if (backend != null) {
      json.put("backend", backend);
    }
    return json.put("node", node).put("time", time.toString()).put("text", text).put("link", link).mergeIn(details);
  }
}
