package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.regex.Pattern;

/** Reading config JSON the schema has validated, and a value as a message shows it. */
final class ConfigJson {

  /** {@code scheme://} and what comes before an {@code @} in the authority: a URL's user and password. */
  private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");

  private ConfigJson() {
  }

  /** A string or a list of strings (the schema has checked which), as a list; empty for {@code null}. */
  static List<String> strings(Object value) {
    if (value == null) {
      return List.of();
    }
    return value instanceof String single ? List.of(single) : ((JsonArray) value).stream().map(String.class::cast).toList();
  }

  static String describe(Object value) {
    if (value instanceof String s) {
      return "the string \"" + withoutUserInfo(s) + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(value);
  }

  /**
   * {@code value} with a URL's user information replaced: a message reaches the log of every refused start and
   * reload, and {@code postgresql://app:password@db/hooks} would put the password there.
   */
  static String withoutUserInfo(String value) {
    return USER_INFO.matcher(value).replaceFirst("$1<redacted>@");
  }
}
