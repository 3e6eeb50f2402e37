package io.hookcast.admin.api;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.contract.RequestBody;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The arguments of one call: its path and query parameters and the fields of its JSON body, checked against the
 * operation in the OpenAPI document before the operation's handler runs, an absent one taking its schema's default.
 * A query parameter the operation does not declare, or one given twice, is refused: ignored, a misspelt or misplaced
 * filter would widen a retry or a cancel to every delivery without a word. So is an empty one, as a script sends
 * {@code ?backend=$B} with {@code B} unset, except where the document gives a default ({@code limit=}), which it
 * then takes: only a filter widens the call when it is dropped.
 *
 * <p>Our own step rather than the router's request validation, whose 400 carries the library's text and, in 5.0.7,
 * does not say in a field which parameter failed.
 */
record Arguments(Map<String, Object> values, Map<String, Argument> described) {

  private static final String KEY = Arguments.class.getName();
  private static final Instant FIRST_MILLISECOND = Instant.ofEpochMilli(Long.MIN_VALUE);
  private static final Instant LAST_MILLISECOND = Instant.ofEpochMilli(Long.MAX_VALUE);

  Arguments {
    values = Map.copyOf(values);
    described = Map.copyOf(described);
  }

  /**
   * The step that checks {@code operation}'s arguments and leaves them for {@link #of}.
   *
   * @throws IllegalStateException when the document has the operation take what this step does not read
   */
  static Handler<RoutingContext> checking(Operation operation, SchemaRepository schemas) {
    List<Argument> path = new ArrayList<>();
    List<Argument> query = new ArrayList<>();
    Map<String, Argument> described = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      Argument argument = new Argument(parameter.getName(), parameter.getSchema(), schemas);
      if (parameter.getIn() == Location.PATH) {
        path.add(argument);
      } else if (parameter.getIn() == Location.QUERY) {
        query.add(argument);
      } else {
        throw new IllegalStateException(operation.getOperationId() + ": a parameter in " + parameter.getIn()
          + " (" + parameter.getName() + ") is not read by the operator API");
      }
      described.put(argument.name(), argument);
    }
    Body body = Body.of(operation, schemas);
    if (body != null) {
      body.fields().forEach(field -> described.put(field.name(), field));
    }
    String takes = takes(query, body);
    String noBody = "body: this call takes none" + (query.isEmpty() ? "" : "; its parameters go in the query: " + names(query));
    return context -> {
      if (body == null && carriesBody(context.request())) {
        throw ApiError.badRequest(noBody);
      }
      Map<String, Object> values = new HashMap<>();
      for (Argument argument : path) {
        values.put(argument.name(), argument.fromText(context.pathParam(argument.name())));
      }
      MultiMap given = context.queryParams();
      refuseUndeclared(given, query, takes);
      for (Argument argument : query) {
        List<String> texts = given.getAll(argument.name());
        if (texts.size() > 1) {
          throw ApiError.badRequest(argument.name() + ": given " + texts.size() + " times; this call takes it once");
        }
        String text = texts.isEmpty() ? null : texts.get(0);
        if (text != null && text.isEmpty() && argument.fallback() == null) {
          throw ApiError.badRequest(argument.name() + ": empty; send a value or leave the parameter out");
        }
        put(values, argument.name(), text == null || text.isEmpty() ? argument.fallback() : argument.fromText(text));
      }
      if (body != null) {
        body.read(context.body().buffer(), values);
      }
      context.put(KEY, new Arguments(values, described));
      context.next();
    };
  }

  private static void refuseUndeclared(MultiMap given, List<Argument> query, String takes) {
    TreeSet<String> undeclared = new TreeSet<>(given.names());
    query.forEach(argument -> undeclared.remove(argument.name()));
    if (!undeclared.isEmpty()) {
      throw ApiError.badRequest(String.join(", ", undeclared) + (undeclared.size() == 1 ? ": not a parameter" : ": not parameters")
        + " of this call (" + takes + ")");
    }
  }

  /** What an operation takes, in the words of the 400 for a query parameter it does not. */
  private static String takes(List<Argument> query, Body body) {
    if (!query.isEmpty()) {
      return "its parameters: " + names(query);
    }
    if (body != null) {
      return "it takes its arguments as a JSON body: " + names(body.fields());
    }
    return "it takes none";
  }

  private static String names(List<Argument> arguments) {
    return arguments.stream().map(Argument::name).collect(Collectors.joining(", "));
  }

  /**
   * A call that takes no body never reads one, so a filter sent in it, as the bulk retry takes its own, would be
   * dropped and the retry or cancel would act on every backend. Told by the headers, as the body is not read: an
   * HTTP/2 request may carry one without a Content-Length, and is then not refused.
   */
  private static boolean carriesBody(HttpServerRequest request) {
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return true;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    try {
      return length != null && Long.parseLong(length.trim()) != 0;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** The arguments {@link #checking} left for this call. */
  static Arguments of(RoutingContext context) {
    return context.get(KEY);
  }

  /** The argument as text, or {@code null} when it is absent. */
  String text(String name) {
    Object value = values.get(name);
    return value == null ? null : value.toString();
  }

  /** An integer argument that has a default, within the bounds its schema sets. */
  int number(String name) {
    return ((Number) values.get(name)).intValue();
  }

  /**
   * An ISO-8601 instant ({@code 2026-11-27T10:00:00Z}) or epoch milliseconds, which the document says in words only;
   * {@code null} when absent.
   */
  Instant instant(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    Instant instant;
    try {
      instant = value.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw described.get(name).misfit(value);
    }
    // The store compares epoch milliseconds, which Instant.parse reaches past (years beyond ±292 million).
    if (instant.isBefore(FIRST_MILLISECOND) || instant.isAfter(LAST_MILLISECOND)) {
      throw ApiError.badRequest(name + ": expected an instant from " + FIRST_MILLISECOND + " to " + LAST_MILLISECOND
        + ", got '" + value + "'");
    }
    return instant;
  }

  private static void put(Map<String, Object> values, String name, Object value) {
    if (value != null) {
      values.put(name, value);
    }
  }

  /**
   * The step, before the body is read, that refuses a body sent as another type than the operation's in the document.
   * BodyHandler keeps no multipart body, so its fields would be read as no filter at all, a bulk retry of everything;
   * and it decodes a form body it cannot read into a plain-text 400. A body without a Content-Type is read as JSON,
   * since it is refused anyway unless it is a JSON object. A {@link PlatformHandler}, because vertx-web lets only
   * platform and security-policy handlers come before a route's body handler.
   */
  static PlatformHandler sentAs(Operation operation) {
    Set<String> types = new TreeSet<>(operation.getRequestBody().getContent().keySet());
    return context -> {
      String contentType = context.request().getHeader(HttpHeaders.CONTENT_TYPE);
      String type = contentType == null ? null : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (type != null && !types.contains(type)) {
        throw new ApiError(415, "body: expected Content-Type " + String.join(" or ", types) + ", got " + (type.isEmpty() ? "''" : type));
      }
      context.next();
    };
  }

  /** A JSON object body and its fields, as the operation's {@code application/json} schema describes them. */
  private record Body(boolean required, List<Argument> fields, boolean closed, JsonObject example) {

    /** {@code null} when the operation takes no body. */
    static Body of(Operation operation, SchemaRepository schemas) {
      RequestBody body = operation.getRequestBody();
      if (body == null) {
        return null;
      }
      MediaType json = body.getContent().get("application/json");
      if (json == null || body.getContent().size() != 1 || !"object".equals(json.getSchema().get("type"))) {
        throw new IllegalStateException(operation.getOperationId() + ": the operator API reads a body only as one JSON object");
      }
      JsonSchema schema = json.getSchema();
      List<Argument> fields = new ArrayList<>();
      JsonObject properties = schema.get("properties", new JsonObject());
      for (String name : properties.fieldNames()) {
        fields.add(new Argument(name, JsonSchema.of(properties.getJsonObject(name)), schemas));
      }
      JsonArray examples = schema.get("examples", new JsonArray());
      return new Body(body.isRequired(), List.copyOf(fields), Boolean.FALSE.equals(schema.get("additionalProperties")),
        examples.isEmpty() ? null : examples.getJsonObject(0));
    }

    void read(Buffer buffer, Map<String, Object> values) {
      JsonObject object = parse(buffer);
      Map<String, Argument> known = new LinkedHashMap<>();
      fields.forEach(field -> known.put(field.name(), field));
      TreeSet<String> unknown = new TreeSet<>(object.fieldNames());
      unknown.removeAll(known.keySet());
      if (closed && !unknown.isEmpty()) {
        throw ApiError.badRequest("body: unknown key(s) " + unknown + "; known: " + String.join(", ", known.keySet()));
      }
      for (Argument field : fields) {
        Object value = object.getValue(field.name());
        // As an empty query parameter: a filter dropped would widen the call to every delivery.
        if (value == null && object.containsKey(field.name())) {
          throw ApiError.badRequest(field.name() + ": null; send a value or leave the key out");
        }
        put(values, field.name(), value == null ? field.fallback() : field.check(value));
      }
    }

    private JsonObject parse(Buffer buffer) {
      if (buffer == null || buffer.length() == 0) {
        if (required) {
          throw ApiError.badRequest("body: required" + (example == null ? "" : ", such as " + example.encode()));
        }
        return new JsonObject();
      }
      try {
        if (Json.decodeValue(buffer) instanceof JsonObject object) {
          return object;
        }
      } catch (DecodeException e) {
        // answered below, as for JSON that is not an object
      }
      throw ApiError.badRequest("body: expected a JSON object" + (example == null ? "" : " such as " + example.encode()));
    }
  }
}
