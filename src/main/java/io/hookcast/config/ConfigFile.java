package io.hookcast.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** Reads the configuration given with {@code -conf}: a path to a JSON file, or inline JSON starting with '{'. */
public final class ConfigFile {

  public static final String DEFAULT_PATH = "conf/hookcast.json";

  private ConfigFile() {
  }

  /** Whether {@code -conf} was given JSON itself rather than a file to read (and watch). */
  public static boolean isInline(String pathOrJson) {
    return pathOrJson.stripLeading().startsWith("{");
  }

  /** Blocking: meant for {@code main}, before any event loop runs. */
  public static JsonObject read(String pathOrJson) {
    String text;
    String source;
    if (isInline(pathOrJson)) {
      text = pathOrJson;
      source = "-conf";
    } else {
      Path path = Path.of(pathOrJson);
      source = "config file '" + path + "'";
      try {
        text = Files.readString(path);
      } catch (NoSuchFileException e) {
        throw new ConfigException(source + ": no such file");
      } catch (IOException e) {
        throw new ConfigException(source + ": cannot be read (" + e + ")");
      }
    }
    try {
      return parse(text);
    } catch (ConfigException e) {
      throw new ConfigException(source + ": " + e.getMessage());
    }
  }

  /** The text of a config file as JSON; a reload reads it with this too. */
  public static JsonObject parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException("not a valid JSON object (" + firstLine(e.getMessage()) + ")");
    }
    refuseRepeatedKeys(text);
    return json;
  }

  /**
   * A key written twice in one object: a JSON reader keeps one of them (Vert.x the last), and the file does not say
   * which counts; an operator who adds a key at the end of a backend that already has it changes nothing, or not
   * what they read. Read with Vert.x's own parser settings (comments allowed), after Vert.x has read the text.
   */
  private static void refuseRepeatedKeys(String text) {
    Deque<Set<String>> objects = new ArrayDeque<>();
    try (JsonParser parser = JacksonCodec.createParser(text)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.START_OBJECT) {
          objects.push(new HashSet<>());
        } else if (token == JsonToken.END_OBJECT) {
          objects.pop();
        } else if (token == JsonToken.FIELD_NAME && !objects.peek().add(parser.currentName())) {
          throw new ConfigException(path(parser.getParsingContext()) + " is written twice in the same object; keep one");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The key the parser is at, as errors name keys: {@code backends[0].url}. */
  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      path.insert(0, at.inArray() ? "[" + at.getCurrentIndex() + "]" : (at.getParent().inRoot() ? "" : ".") + at.getCurrentName());
    }
    return path.toString();
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse("");
  }
}
