package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Reading config JSON the schema has validated, and a value as a message shows it. */
final class ConfigJson {

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
      return "the string \"" + withoutSecrets(s) + "\"";
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
   * {@code value} as a message may show it: a URL's user information (up to the last {@code @}, since a password
   * written wrongly may hold {@code @}, {@code /} or {@code ?}), query and fragment replaced. A message reaches the log
   * of every refused start and reload, and {@code postgresql://app:password@db/hooks} or
   * {@code https://host/hook?token=...} would put the secret there.
   */
  static String withoutSecrets(String value) {
    int scheme = value.indexOf("://");
    if (scheme < 0) {
      return value;
    }
    int authority = scheme + 3;
    int at = value.lastIndexOf('@');
    String shown = at >= authority ? value.substring(0, authority) + "<redacted>" + value.substring(at) : value;
    int from = at >= authority ? authority + "<redacted>".length() : authority;
    int query = shown.indexOf('?', from);
    int fragment = shown.indexOf('#', from);
    int cut = query < 0 ? fragment : fragment < 0 ? query : Math.min(query, fragment);
    return cut < 0 ? shown : shown.substring(0, cut) + shown.charAt(cut) + "<redacted>";
  }
}
