package io.hookcast.route;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.json.JsonCodec;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the sender of a webhook is told.
 *
 * @param status      HTTP status
 * @param contentType the body's content type, or {@code null} for none (a backend may answer without one)
 * @param body        the body as sent
 * @param headers     headers added to the answer (e.g. {@code X-Hookcast-Message-Id}, {@code Retry-After}, or a
 *                    primary backend's own), in order; a name may repeat
 * @param logDetail   what the access log adds about the outcome; built only if the access log is on
 */
public record Answer(int status, String contentType, Buffer body, List<Map.Entry<String, String>> headers,
                     Supplier<String> logDetail) {

  private static final String JSON = "application/json";
  /**
   * Jackson's streaming generator. {@link JsonObject#toBuffer()} goes through jackson-databind's ObjectMapper
   * whenever databind is on the class path (it is, for other modules), which looks up a serializer for every map
   * and value, on every sync answer, however few its fields.
   */
  private static final JsonCodec CODEC = new JacksonCodec();

  public Answer {
    headers = List.copyOf(headers);
  }

  /** A JSON answer of Hookcast's own. */
  public Answer(int status, JsonObject body, Map<String, String> headers, Supplier<String> logDetail) {
    this(status, JSON, CODEC.toBuffer(body, false), List.copyOf(headers.entrySet()), logDetail);
  }
}
