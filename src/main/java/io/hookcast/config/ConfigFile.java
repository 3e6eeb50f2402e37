package io.hookcast.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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
      return new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ConfigException(source + ": not a valid JSON object (" + firstLine(e.getMessage()) + ")");
    }
  }

  private static String firstLine(String message) {
    return message == null ? "unreadable" : message.lines().findFirst().orElse("");
  }
}
