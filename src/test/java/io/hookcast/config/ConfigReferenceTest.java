package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The configuration reference in docs/configuration.md is rendered from the schema, so that the doc cannot say
 * other than what the validation does.
 */
class ConfigReferenceTest {

  private static final Path DOC = Path.of("docs/configuration.md");
  static final String BEGIN = "<!-- BEGIN CONFIG REFERENCE: generated from src/main/resources/" + ConfigSchema.RESOURCE
    + "; regenerate with: mvn -o test -Dtest=ConfigReferenceTest -Dhookcast.writeReference=true -->";
  static final String END = "<!-- END CONFIG REFERENCE -->";

  @Test
  void theReferenceInTheDocsIsTheOneRenderedFromTheSchema() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, DOC + " has no generated reference between the markers " + BEGIN + " and " + END);
    String rendered = BEGIN + "\n" + render() + END;
    String updated = doc.substring(0, begin) + rendered + doc.substring(end + END.length());
    if (Boolean.getBoolean("hookcast.writeReference")) {
      Files.writeString(DOC, updated, StandardCharsets.UTF_8);
      doc = Files.readString(DOC, StandardCharsets.UTF_8);
    }
    assertEquals(updated, doc, DOC + "'s configuration reference differs from the schema (" + ConfigSchema.RESOURCE
      + "); regenerate it with: mvn -o test -Dtest=ConfigReferenceTest -Dhookcast.writeReference=true");
  }

  @Test
  void everyKeyHasADescription() {
    List<String> undescribed = ConfigSchema.keys().stream().filter(key -> !key.schema().containsKey("description"))
      .map(ConfigSchema.Key::path).toList();
    assertEquals(List.of(), undescribed);
  }

  static String render() {
    StringBuilder table = new StringBuilder("| key | type | default | range | description |\n|---|---|---|---|---|\n");
    List<ConfigSchema.Key> keys = ConfigSchema.keys();
    for (ConfigSchema.Key key : keys) {
      JsonObject schema = key.schema();
      table.append("| `").append(key.path()).append("` | ").append(type(key)).append(required(key, keys) ? ", required" : "")
        .append(" | ").append(schema.containsKey("default") ? "`" + JsonArray.of(schema.getValue("default")).encode()
          .replaceAll("^\\[|]$", "") + "`" : "").append(" | ").append(range(schema)).append(" | ")
        .append(cell(schema.getString("description", ""))).append(" |\n");
    }
    return table.toString();
  }

  private static String type(ConfigSchema.Key key) {
    return key.types().stream().map(type -> {
      JsonObject items = key.schema().getJsonObject("items");
      return type.equals("array") && items != null && items.containsKey("type") ? "list of " + items.getValue("type") : type;
    }).collect(Collectors.joining(" or "));
  }

  /** Whether the key's object lists it as required (the root's for a top-level key). */
  private static boolean required(ConfigSchema.Key key, List<ConfigSchema.Key> keys) {
    int dot = key.path().lastIndexOf('.');
    String name = key.path().substring(dot + 1);
    String parentPath = dot < 0 ? null : key.path().substring(0, dot).replaceAll("\\[]$", "");
    JsonObject parent = parentPath == null ? root() : keys.stream().filter(k -> k.path().equals(parentPath)).findFirst()
      .map(k -> k.path().equals(key.path().substring(0, dot)) ? k.schema() : k.schema().getJsonObject("items")).orElseThrow();
    return parent.getJsonArray("required", new JsonArray()).contains(name);
  }

  private static String range(JsonObject schema) {
    if (schema.containsKey("minimum")) {
      return ConfigSchema.range(schema);
    }
    if (schema.containsKey("enum")) {
      return schema.getJsonArray("enum").stream().map(value -> "`" + value + "`").collect(Collectors.joining(", "));
    }
    if (schema.containsKey("maxItems")) {
      return "at most " + schema.getValue("maxItems") + " items";
    }
    if (schema.containsKey("minItems")) {
      return "at least " + schema.getValue("minItems") + " item";
    }
    if (schema.containsKey("maxLength")) {
      return "at most " + schema.getValue("maxLength") + " characters";
    }
    return "";
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static JsonObject root() {
    try (var in = ConfigSchema.class.getClassLoader().getResourceAsStream(ConfigSchema.RESOURCE)) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
