package io.hookcast.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
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
        // A relative path, the default's too, is looked for where the process was started, which may not be the
        // directory the operator has in mind.
        throw new ConfigException(source + ": no such file" + (path.isAbsolute() ? ""
          : " in " + Path.of("").toAbsolutePath() + " (the working directory)"));
      } catch (CharacterCodingException e) {
        throw new ConfigException(source + ": is not UTF-8; save it as UTF-8");
      } catch (IOException e) {
        throw new ConfigException(source + (Files.isDirectory(path) ? ": is a directory, not a file" : ": cannot be read (" + e + ")"));
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
    // Windows editors (Notepad) start a UTF-8 file with a byte order mark, which is not JSON.
    String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
    check(json);
    return new JsonObject(json);
  }

  /**
   * What an operator needs to find the mistake in a file Vert.x would refuse with a bare "Failed to decode" or
   * "Unexpected token": that there is no JSON at all, that it is not one object, the line and column of a syntax
   * error; and a key written twice in one object, which Vert.x would accept. Read with Vert.x's own parser settings
   * (comments allowed), so that what passes here is what Vert.x reads.
   *
   * <p>A key written twice: a JSON reader keeps one of them (Vert.x the last), and the file does not say which counts;
   * an operator who adds a key at the end of a backend that already has it changes nothing, or not what they read.
   */
  private static void check(String json) {
    Deque<Set<String>> objects = new ArrayDeque<>();
    try (JsonParser parser = JacksonCodec.createParser(json)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new ConfigException("is empty");
      }
      if (first != JsonToken.START_OBJECT) {
        throw new ConfigException("must be a JSON object ({...}), not " + (first == JsonToken.START_ARRAY ? "a list"
          : first == JsonToken.VALUE_STRING ? "the string \"" + parser.getText() + "\"" : parser.getText()));
      }
      objects.push(new HashSet<>());
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (objects.isEmpty()) {
          throw new ConfigException("not a valid JSON object (more follows its closing '}') at " + at(parser.currentTokenLocation()));
        }
        if (token == JsonToken.START_OBJECT) {
          objects.push(new HashSet<>());
        } else if (token == JsonToken.END_OBJECT) {
          objects.pop();
        } else if (token == JsonToken.FIELD_NAME && !objects.peek().add(parser.currentName())) {
          throw new ConfigException(path(parser.getParsingContext()) + " is written twice in the same object; keep one");
        }
      }
    } catch (JsonProcessingException e) {
      // In our own words, never Jackson's: its message quotes the text it could not read, and an unquoted token or
      // password would then be in the log of every refused start and reload.
      throw new ConfigException("not a valid JSON object (" + whatIsWrong(json, e) + ")"
        + (e.getLocation() == null ? "" : " at " + at(e.getLocation())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String whatIsWrong(String json, JsonProcessingException e) {
    if (e instanceof JsonEOFException) {
      return "it ends before the JSON does: a closing }, ] or \" is missing";
    }
    long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
    if (offset >= 0 && offset < json.length() && json.charAt((int) offset) < 0x20 && inString(json, (int) offset)) {
      return "a line break or other control character inside a string (write \\n for a line break)";
    }
    if (offset > 0 && offset <= json.length() && json.charAt((int) offset - 1) == '\\') {
      return "a backslash that starts no JSON escape (write \\\\ for a backslash, or / in a path)";
    }
    if (offset >= 0 && offset < json.length() && (json.charAt((int) offset) == '}' || json.charAt((int) offset) == ']')) {
      int before = (int) offset - 1;
      while (before >= 0 && Character.isWhitespace(json.charAt(before))) {
        before--;
      }
      if (before >= 0 && json.charAt(before) == ',') {
        return "a comma before the closing " + json.charAt((int) offset);
      }
    }
    return "text JSON does not take there: a string not in double quotes, or a missing comma or colon";
  }

  /** Whether {@code offset} is inside a string: an odd number of unescaped quotes before it on its line. */
  private static boolean inString(String json, int offset) {
    boolean inside = false;
    for (int i = json.lastIndexOf('\n', offset - 1) + 1; i < offset; i++) {
      if (json.charAt(i) == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
        inside = !inside;
      }
    }
    return inside;
  }

  private static String at(JsonLocation location) {
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** The key the parser is at, as errors name keys: {@code backends[0].url}. */
  private static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      path.insert(0, at.inArray() ? "[" + at.getCurrentIndex() + "]" : (at.getParent().inRoot() ? "" : ".") + at.getCurrentName());
    }
    return path.toString();
  }
}
