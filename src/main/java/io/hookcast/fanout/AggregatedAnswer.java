package io.hookcast.fanout;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.RetryAfter;
import io.hookcast.config.AnswerDetail;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The one answer to the sender: 200 when every backend answered 2xx, else the highest failing status (502 for a
 * 3xx), so that a 5xx (which senders retry) wins over a 4xx. Backends are named by their configured name only: the sender
 * is on the internet, and their URLs, the node that delivered and exception texts are for the log.
 * <p>
 * A 429 or 503 says "not now", and a sender that honours {@code Retry-After} waits as told: so it carries the
 * longest wait the backends that answered that status asked for, in seconds, and no other status carries one.
 *
 * @param headers {@code Retry-After}, or none
 */
public record AggregatedAnswer(int status, JsonObject body, Map<String, String> headers) {

  public static AggregatedAnswer of(List<String> backendNames, List<DeliveryResult> results, AnswerDetail detail) {
    int highestFailure = 0;
    long retryAfterMs = -1;
    JsonObject body = new JsonObject();
    for (int i = 0; i < results.size(); i++) {
      DeliveryResult result = results.get(i);
      if (result == null) {
        // A backend whose delivery condition the webhook did not meet: not called, and no say in the status.
        body.put(backendNames.get(i), new JsonObject().putNull("status").put("skipped", true));
        continue;
      }
      if (result.isFailure()) {
        // A redirect passed on would point the sender at the backend; 502 says a backend's answer was no delivery.
        int failing = result.status() < 400 ? Outcome.UNREACHABLE : result.status();
        if (failing > highestFailure) {
          highestFailure = failing;
          retryAfterMs = result.outcome().retryAfterMs();
        } else if (failing == highestFailure) {
          retryAfterMs = Math.max(retryAfterMs, result.outcome().retryAfterMs());
        }
      }
      body.put(backendNames.get(i), detail == AnswerDetail.FULL ? full(result) : new JsonObject().put("status", result.status()));
    }
    boolean notNow = (highestFailure == 429 || highestFailure == 503) && retryAfterMs >= 0;
    return new AggregatedAnswer(highestFailure == 0 ? 200 : highestFailure, body,
      notNow ? Map.of(RetryAfter.HEADER, String.valueOf((retryAfterMs + 999) / 1000)) : Map.of());
  }

  private static JsonObject full(DeliveryResult result) {
    JsonObject entry = new JsonObject()
      .put("status", result.status())
      .put("body", result.text())
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
