package io.hookcast.route.filter;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;

import java.util.Optional;
import java.util.function.Function;

/**
 * One webhook as conditions see it. The body is parsed as JSON on the first condition that asks, and at most
 * once, however many backends and conditions look at it: a 25 MiB body parsed per backend would cost more than
 * delivering it. One per webhook, used on the thread that handles it.
 */
final class WebhookContent {

  private final MultiMap headers;
  private final Buffer body;
  private final Function<Buffer, Object> parser;
  private boolean parsed;
  private Object json;

  /** @param parser reads a body as JSON, failing with {@link DecodeException} when it is not */
  WebhookContent(MultiMap headers, Buffer body, Function<Buffer, Object> parser) {
    this.headers = headers;
    this.body = body;
    this.parser = parser;
  }

  MultiMap headers() {
    return headers;
  }

  /**
   * The body as JSON ({@code JsonObject}, {@code JsonArray} or a scalar); empty if it is not JSON. A JSON
   * {@code null} body is empty too: no condition compares with null.
   */
  Optional<Object> json() {
    if (!parsed) {
      parsed = true;
      try {
        json = parser.apply(body);
      } catch (DecodeException notJson) {
        json = null;
      }
    }
    return Optional.ofNullable(json);
  }
}
