package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code HOOKCAST_*} environment variables over the config file, so that several nodes (docker-compose services,
 * pods) can share one file and differ only in what a node may set for itself. One rule, from the schema: a key
 * outside any list is set by {@code HOOKCAST_} and its segments in upper snake case ({@code cluster.tls.keyPath}:
 * {@code HOOKCAST_CLUSTER_TLS_KEY_PATH}), the value converted by the key's type (a list is comma-separated); the
 * shorter names are the key's {@code x-env} aliases, the rule's name winning over them. A key with
 * {@code x-env-blank} "unset" ({@code admin.token}) ignores a blank variable, as a compose file's {@code ${TOKEN:-}} gives one.
 */
final class EnvironmentOverrides {

  /** A variable this close to a variable's name is taken for a misspelling of it. */
  private static final int MAX_EDITS = 2;
  /** What Kubernetes gives a Service's {@code _PORT} variables. */
  private static final Pattern SERVICE_ADDRESS = Pattern.compile("(tcp|udp|sctp)://");

  private EnvironmentOverrides() {
  }

  /**
   * @param root      the file with the variables applied
   * @param variables by key path, the variable that set it: a secret read from one is shown as the variable's, not the file's
   */
  record Applied(JsonObject root, Map<String, String> variables) {
  }

  static Applied apply(JsonObject file, Map<String, String> environment) {
    JsonObject root = file.copy();
    Map<String, String> variables = new HashMap<>();
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      if (key.inList()) {
        continue;
      }
      if (!settable(key)) {
        String name = variable(key.path());
        if (environment.containsKey(name)) {
          // Stops startup as an unknown key in the file does.
          throw new ConfigException(name + ": no variable sets " + key.path() + " as a whole; write it in the config"
            + " file (a section's keys have a variable each)");
        }
        continue;
      }
      for (String name : names(key)) {
        String value = environment.get(name);
        if (value != null && !("unset".equals(key.schema().getString("x-env-blank")) && value.isBlank())) {
          put(root, key.path(), convert(name, value, key.types()), name);
          variables.put(key.path(), name);
        }
      }
    }
    return new Applied(root, Map.copyOf(variables));
  }

  /**
   * A warning for each variable a letter or two from a variable's name ({@code HOOKCAST_HTTPPORT}), naming the
   * closest: it sets nothing, and its key keeps the file's value unnoticed. Not a refusal: it may be no mistake (a
   * secret's own variable, a Kubernetes Service named {@code hookcast-https} makes {@code HOOKCAST_HTTPS_PORT}). A
   * Service's {@code tcp://} address is never one. Apart from {@link #apply}, so that a node warns once, not at every
   * parse (its start, each of its verticles, each reload).
   */
  static List<String> misspeltVariables(Map<String, String> environment) {
    Map<String, String> names = new TreeMap<>();
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      if (!key.inList() && settable(key)) {
        names(key).forEach(name -> names.put(name, key.path()));
      }
    }
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith("HOOKCAST_") || names.containsKey(name) || SERVICE_ADDRESS.matcher(variable.getValue()).lookingAt()) {
        continue;
      }
      String closest = null;
      int fewest = MAX_EDITS + 1;
      for (String known : names.keySet()) {
        int edits = edits(name, known);
        if (edits < fewest) {
          closest = known;
          fewest = edits;
        }
      }
      if (closest != null) {
        warnings.add(name + " sets no key and is ignored; did you mean " + closest + " (" + names.get(closest) + ")?");
      }
    }
    return warnings;
  }

  /** The variables of {@code key}: its {@code x-env} aliases, then the rule's name, which wins. */
  private static List<String> names(ConfigSchema.Key key) {
    List<String> names = new ArrayList<>();
    if (key.schema().getValue("x-env") instanceof JsonArray aliases) {
      aliases.forEach(alias -> names.add((String) alias));
    }
    names.add(variable(key.path()));
    return names;
  }

  /** Letters inserted, removed or replaced to turn {@code a} into {@code b} (Levenshtein), or more than {@link #MAX_EDITS}. */
  private static int edits(String a, String b) {
    if (Math.abs(a.length() - b.length()) > MAX_EDITS) {
      return MAX_EDITS + 1;
    }
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** A value a variable can spell: a scalar, or a list of scalars. */
  private static boolean settable(ConfigSchema.Key key) {
    List<String> types = key.types();
    if (types.isEmpty() || types.equals(List.of("object"))) {
      return false;
    }
    JsonObject items = key.schema().getJsonObject("items");
    return !types.contains("array") || items == null || !"object".equals(items.getValue("type"));
  }

  /** {@code cluster.tls.keyPath} as {@code HOOKCAST_CLUSTER_TLS_KEY_PATH}. */
  private static String variable(String path) {
    return "HOOKCAST_" + path.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private static Object convert(String variable, String value, List<String> types) {
    if (types.contains("integer")) {
      try {
        // Any size, so that the key's range check reports a value too large for a long as it was given.
        return new BigInteger(value.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(variable + ": '" + value + "' is not a whole number");
      }
    }
    if (types.contains("number")) {
      try {
        return new BigDecimal(value.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(variable + ": '" + value + "' is not a number");
      }
    }
    if (types.contains("boolean")) {
      String flag = value.trim().toLowerCase(Locale.ROOT);
      if (!flag.equals("true") && !flag.equals("false")) {
        throw new ConfigException(variable + ": '" + value + "' is not true or false");
      }
      return Boolean.valueOf(flag);
    }
    if (types.contains("array")) {
      return new JsonArray(Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
    }
    return value;
  }

  private static void put(JsonObject root, String path, Object value, String variable) {
    String[] segments = path.split("\\.");
    JsonObject section = root;
    for (int i = 0; i < segments.length - 1; i++) {
      Object existing = section.getValue(segments[i]);
      if (existing == null) {
        JsonObject created = new JsonObject();
        section.put(segments[i], created);
        section = created;
      } else if (existing instanceof JsonObject object) {
        section = object;
      } else {
        throw new ConfigException(String.join(".", Arrays.copyOf(segments, i + 1)) + ": expected an object, got "
          + ConfigJson.describe(existing) + ", so " + variable + " cannot set " + path + " inside it");
      }
    }
    section.put(segments[segments.length - 1], value);
  }
}
