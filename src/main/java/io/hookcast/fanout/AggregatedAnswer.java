package io.hookcast.fanout;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.config.AnswerDetail;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The one answer to the sender: 200 when every backend answered below 400, else the highest failing status, so
 * that a 5xx (which senders retry) wins over a 4xx. Backends are named by their configured name only: the sender
 * is on the internet, and their URLs, the node that delivered and exception texts are for the log.
 */
public record AggregatedAnswer(int status, JsonObject body) {

  public static AggregatedAnswer of(List<String> backendNames, List<DeliveryResult> results, AnswerDetail detail) {
    int highestFailure = 0;
    JsonObject body = new JsonObject();
    for (int i = 0; i < results.size(); i++) {
      DeliveryResult result = results.get(i);
      if (result == null) {
        // A backend whose delivery condition the webhook did not meet: not called, and no say in the status.
        body.put(backendNames.get(i), new JsonObject().putNull("status").put("skipped", true));
        continue;
      }
      if (result.isFailure()) {
        highestFailure = Math.max(highestFailure, result.status());
      }
      body.put(backendNames.get(i), detail == AnswerDetail.FULL ? full(result) : new JsonObject().put("status", result.status()));
    }
    return new AggregatedAnswer(highestFailure == 0 ? 200 : highestFailure, body);
  }

  private static JsonObject full(DeliveryResult result) {
    JsonObject entry = new JsonObject()
      .put("status", result.status())
      .put("body", result.body())
      .put("durationMs", result.durationMs())
      .put("attempts", result.attempts());
    if (result.truncated()) {
      entry.put("truncated", true);
    }
    if (result.error() != null) {
      entry.put("error", result.error());
    }
    return entry;
  }
}
