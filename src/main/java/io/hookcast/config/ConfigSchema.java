package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The JSON Schema of the configuration ({@value #RESOURCE}): the one description of every key, its type, range,
 * default and meaning, from which the validation, the {@code HOOKCAST_*} variables and the reference in
 * docs/configuration.md all follow.
 */
final class ConfigSchema {

  static final String RESOURCE = "config/hookcast-config.schema.json";
  /** Keywords of the validator's output that say what is wrong; the others only report that a sub-schema failed. */
  private static final Set<String> FAILURES = Set.of("type", "minimum", "maximum", "enum", "required", "additionalProperties",
    "minItems", "maxItems", "maxLength", "pattern", "anyOf", "oneOf", "uniqueItems");

  private static final JsonObject DOCUMENT = load();
  private static final Validator VALIDATOR = Validator.create(JsonSchema.of(DOCUMENT),
    new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(DOCUMENT.getString("$id")).setOutputFormat(OutputFormat.Basic));
  private static final List<Key> KEYS = collect(DOCUMENT, "", new ArrayList<>());

  /**
   * One key of the configuration.
   *
   * @param path   as errors and the reference name it, with {@code []} for a list's items: {@code backends[].url}
   * @param schema its schema, a {@code $ref} resolved (the referring site's own keywords win)
   */
  record Key(String path, JsonObject schema) {

    /** Whether it sits in a list, so that no one environment variable can set it. */
    boolean inList() {
      return path.contains("[]");
    }

    List<String> types() {
      Object type = schema.getValue("type");
      if (type instanceof String single) {
        return List.of(single);
      }
      return type instanceof JsonArray list ? list.stream().map(String.class::cast).toList() : List.of();
    }
  }

  private ConfigSchema() {
  }

  /** Every key, depth first in the schema's order. */
  static List<Key> keys() {
    return KEYS;
  }

  /** The schema's {@code default} of the key at {@code path} (list indexes as {@code []}), or {@code null}. */
  static Object defaultOf(String path) {
    String normalised = path.replaceAll("\\[\\d+]", "[]");
    return KEYS.stream().filter(key -> key.path().equals(normalised)).findFirst()
      .map(key -> key.schema().getValue("default")).orElse(null);
  }

  private static List<Key> collect(JsonObject schema, String prefix, List<Key> keys) {
    JsonObject properties = schema.getJsonObject("properties");
    if (properties != null) {
      for (String name : properties.fieldNames()) {
        JsonObject child = resolve(properties.getJsonObject(name));
        String path = prefix.isEmpty() ? name : prefix + "." + name;
        keys.add(new Key(path, child));
        collect(child, path, keys);
      }
    }
    Object items = schema.getValue("items");
    if (items instanceof JsonObject itemSchema) {
      collect(resolve(itemSchema), prefix + "[]", keys);
    }
    return List.copyOf(keys);
  }

  /** A schema with its {@code $ref} (always local, {@code #/$defs/…}) merged in under its own keywords. */
  private static JsonObject resolve(JsonObject schema) {
    String ref = schema.getString("$ref");
    if (ref == null) {
      return schema;
    }
    JsonObject merged = resolve(at(ref.substring(1))).copy();
    schema.forEach(entry -> {
      if (!entry.getKey().equals("$ref")) {
        merged.put(entry.getKey(), entry.getValue());
      }
    });
    return merged;
  }

  private static JsonObject at(String pointer) {
    return (JsonObject) JsonPointer.from(pointer).queryJson(DOCUMENT);
  }

  /** @throws ConfigException worded from the first failure's keyword and the schema's own values, naming the key */
  static void validate(JsonObject root) {
    OutputUnit result = VALIDATOR.validate(root);
    if (Boolean.TRUE.equals(result.getValid()) || result.getErrors() == null) {
      return;
    }
    // An unknown key first: a misspelt one is most often why another is missing or takes a default by mistake.
    for (boolean unknownKeys : new boolean[] {true, false}) {
      for (OutputUnit failure : result.getErrors()) {
        ConfigException refusal = failure.getKeywordLocation().endsWith("/additionalProperties") == unknownKeys
          ? refusal(root, failure) : null;
        if (refusal != null) {
          throw refusal;
        }
      }
    }
  }

  /** The error for one failure, or {@code null} for one that only reports that a sub-schema failed. */
  private static ConfigException refusal(JsonObject root, OutputUnit failure) {
    String schemaPointer = URI.create(failure.getAbsoluteKeywordLocation()).getFragment();
    int slash = schemaPointer.lastIndexOf('/');
    String keyword = schemaPointer.substring(slash + 1);
    if (!FAILURES.contains(keyword)) {
      return null;
    }
    JsonObject schema = resolve(at(schemaPointer.substring(0, slash)));
    List<String> instancePath = segments(failure.getInstanceLocation());
    Object value = instancePath.isEmpty() ? root : JsonPointer.from(failure.getInstanceLocation().substring(1)).queryJson(root);
    String key = key(instancePath);
    if (schema.getBoolean("x-secret", false)) {
      // The message reaches the log of every refused start and reload: it says what is wrong, never what was written.
      return ConfigException.at(key, keyword.equals("type") ? "expected " + expected(schema) + ", got " + kind(value)
        : "the value (not shown: it may be a secret) " + schema.getString("x-pattern-hint", "is not valid"));
    }
    switch (keyword) {
      case "additionalProperties": {
        // The validator reports each property under additionalProperties too; only one the schema lacks is unknown.
        // A schema for every other property (routes[].deliver's) only reports that it failed.
        String name = instancePath.get(instancePath.size() - 1);
        if (!Boolean.FALSE.equals(schema.getValue("additionalProperties")) || schema.getJsonObject("properties").containsKey(name)) {
          return null;
        }
        return ConfigException.at(key, "unknown key (known keys here: " + String.join(", ", schema.getJsonObject("properties")
          .fieldNames().stream().sorted().toList()) + ")");
      }
      case "required": {
        JsonObject object = (JsonObject) value;
        String missing = schema.getJsonArray("required").stream().map(String.class::cast)
          .filter(name -> object.getValue(name) == null).findFirst().orElse(null);
        // Within an anyOf or a oneOf, whose own failure says what is wrong.
        if (missing == null || !schema.containsKey("properties")) {
          return null;
        }
        String hint = resolve(schema.getJsonObject("properties").getJsonObject(missing)).getString("x-missing");
        return ConfigException.at(child(key, missing), "missing" + (hint == null ? "" : "; " + hint));
      }
      case "type":
        if (value instanceof Number number && schema.getValue("type").equals("integer")) {
          return ConfigException.at(key, text(number) + " is not a whole number; expected one in " + range(schema));
        }
        return ConfigException.at(key, "expected " + expected(schema) + ", got " + ConfigJson.describe(value));
      case "minimum":
      case "maximum": {
        String hint = schema.getString("x-range-hint");
        return ConfigException.at(key, text((Number) value) + " is out of range " + range(schema)
          + (hint == null ? "" : " (" + hint + ")"));
      }
      case "enum":
        return ConfigException.at(key, "'" + value + "' is not one of " + String.join(", ", schema.getJsonArray("enum").stream()
          .map(option -> "\"" + option + "\"").toList()));
      case "minItems":
        if (schema.containsKey("x-missing")) {
          return ConfigException.at(key, "the list is empty; " + schema.getString("x-missing"));
        }
        return ConfigException.at(key, "expected " + expected(schema) + ", got " + ConfigJson.describe(value));
      case "anyOf":
      case "oneOf":
        if (schema.containsKey("x-one-of")) {
          return ConfigException.at(key, schema.getString("x-one-of"));
        }
        return ConfigException.at(key, "expected " + expected(schema) + ", got " + (value instanceof JsonObject object
          ? "an object with " + (object.isEmpty() ? "no keys" : "keys " + String.join(", ", object.fieldNames()))
          : ConfigJson.describe(value)));
      case "uniqueItems": {
        List<Object> items = ((JsonArray) value).getList();
        Object repeated = items.stream().filter(item -> items.indexOf(item) != items.lastIndexOf(item)).findFirst().orElseThrow();
        return ConfigException.at(key, "'" + repeated + "' is listed twice");
      }
      case "maxItems":
        return ConfigException.at(key, "expected " + expected(schema) + ", got " + ((JsonArray) value).size() + " items");
      case "maxLength":
        return ConfigException.at(key, ((String) value).length() + " characters is longer than the " + schema.getValue("maxLength")
          + " " + schema.getString("x-range-hint", "allowed"));
      default:
        return ConfigException.at(key, "'" + ConfigJson.withoutSecrets((String) value) + "' "
          + schema.getString("x-pattern-hint", "does not match " + schema.getString("pattern")));
    }
  }

  private static String kind(Object value) {
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "true or false";
    }
    return value instanceof String ? "a string" : ConfigJson.describe(value);
  }

  private static String expected(JsonObject schema) {
    String custom = schema.getString("x-expected");
    if (custom != null) {
      return custom;
    }
    Key key = new Key("", schema);
    List<String> phrases = new ArrayList<>();
    for (String type : key.types()) {
      phrases.add(switch (type) {
        case "integer" -> "a whole number in " + range(schema);
        case "number" -> "a number in " + range(schema);
        case "boolean" -> "true or false";
        case "object" -> "an object";
        case "array" -> "a list";
        default -> "a " + type;
      });
    }
    return String.join(" or ", phrases);
  }

  /** The value as the operator most likely wrote it: {@code 1e19} rather than {@code 1.0E19} or twenty digits. */
  private static String text(Number value) {
    if (!(value instanceof Double || value instanceof Float || value instanceof BigDecimal)) {
      return value.toString();
    }
    BigDecimal stripped = new BigDecimal(value.toString()).stripTrailingZeros();
    boolean huge = stripped.precision() - stripped.scale() > 15;
    boolean tiny = stripped.scale() > 15;
    return huge || tiny ? stripped.toString().replace("E+", "e").replace('E', 'e') : stripped.toPlainString();
  }

  static String range(JsonObject schema) {
    return schema.getValue("minimum") + ".." + schema.getValue("maximum");
  }

  private static List<String> segments(String instanceLocation) {
    String pointer = instanceLocation.startsWith("#") ? instanceLocation.substring(1) : instanceLocation;
    if (pointer.isEmpty()) {
      return List.of();
    }
    List<String> segments = new ArrayList<>();
    for (String segment : pointer.substring(1).split("/", -1)) {
      segments.add(segment.replace("~1", "/").replace("~0", "~"));
    }
    return segments;
  }

  /** {@code ["backends", "0", "url"]} as {@code backends[0].url}. */
  private static String key(List<String> segments) {
    StringBuilder key = new StringBuilder();
    for (String segment : segments) {
      if (segment.chars().allMatch(Character::isDigit) && !segment.isEmpty()) {
        key.append('[').append(segment).append(']');
      } else {
        key.append(key.length() == 0 ? "" : ".").append(segment);
      }
    }
    return key.toString();
  }

  private static String child(String key, String name) {
    return key.isEmpty() ? name : key + "." + name;
  }

  private static JsonObject load() {
    try (InputStream in = ConfigSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
