package io.hookcast.route;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * What the sender of a webhook is told.
 *
 * @param status    HTTP status
 * @param body      JSON body
 * @param headers   headers added to the answer (e.g. {@code X-Hookcast-Message-Id}, {@code Retry-After})
 * @param logDetail what the access log adds about the outcome
 */
public record Answer(int status, JsonObject body, Map<String, String> headers, String logDetail) {

  public Answer {
    headers = Map.copyOf(headers);
  }
}
