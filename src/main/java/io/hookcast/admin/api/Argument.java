package io.hookcast.admin.api;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A parameter or body field the OpenAPI document describes, checked against its schema with vertx-json-schema. When
 * a value does not fit, the 400 names the argument and says what the schema expects, in words made from the schema's
 * keywords: the validator's own output is never shown, so an operator reads the same text whatever library version
 * checked it.
 */
final class Argument {

  private final String name;
  private final JsonSchema schema;
  private final Validator validator;
  private final String expected;

  Argument(String name, JsonSchema schema, SchemaRepository schemas) {
    this.name = name;
    this.schema = schema;
    this.validator = schemas.validator(schema);
    this.expected = expected();
  }

  String name() {
    return name;
  }

  /** The schema's {@code default}, or {@code null}. */
  Object fallback() {
    return schema.get("default");
  }

  /**
   * A query or path parameter's text as its schema's type: a whole number where the schema allows integers (and the
   * text is one), else the text. A misfit is answered with the text as it was sent.
   */
  Object fromText(String text) {
    refuseControlCharacters(text);
    Object value = text;
    if (types().contains("integer")) {
      try {
        value = Long.parseLong(text);
      } catch (NumberFormatException e) {
        // checked as text, so answered as any other misfit
      }
    }
    if (!validator.validate(value).getValid()) {
      throw misfit(text);
    }
    return value;
  }

  /** A JSON value (a body field), as it is. */
  Object check(Object value) {
    if (value instanceof String text) {
      refuseControlCharacters(text);
    }
    if (!validator.validate(value).getValid()) {
      throw misfit(value);
    }
    return value;
  }

  /**
   * No id, name, path prefix or cursor holds one, and PostgreSQL refuses a text with a NUL in it: the store's error
   * would be answered as a store that does not answer, a 503 and a WARN, for what is the caller's mistake.
   */
  private void refuseControlCharacters(String text) {
    if (text.chars().anyMatch(Character::isISOControl)) {
      throw ApiError.badRequest(name + ": expected text without control characters, got '" + text + "'");
    }
  }

  /** The 400 for a value that does not fit, also where the schema says what fits in words only. */
  ApiError misfit(Object value) {
    return ApiError.badRequest(name + ": expected " + expected + ", got "
      + (value instanceof String ? "'" + value + "'" : Json.encode(value)));
  }

  private List<String> types() {
    Object type = schema.get("type");
    if (type instanceof JsonArray types) {
      return types.stream().map(String::valueOf).toList();
    }
    return type == null ? List.of() : List.of(String.valueOf(type));
  }

  /** From the schema: its enum, its description (where it says what the keywords do not), else its types. */
  private String expected() {
    JsonArray values = schema.get("enum");
    if (values != null) {
      return "one of " + values.stream().map(String::valueOf).collect(Collectors.joining("|"));
    }
    String description = schema.get("description");
    if (description != null) {
      return description;
    }
    List<String> kinds = new ArrayList<>();
    for (String type : types()) {
      if (type.equals("integer")) {
        Number min = schema.get("minimum");
        Number max = schema.get("maximum");
        kinds.add(min != null && max != null ? "a whole number from " + min + " to " + max : "a whole number");
      } else {
        kinds.add(type.equals("object") || type.equals("array") ? "an " + type : "a " + type);
      }
    }
    return kinds.isEmpty() ? "a value the API's document allows" : String.join(" or ", kinds);
  }
}
