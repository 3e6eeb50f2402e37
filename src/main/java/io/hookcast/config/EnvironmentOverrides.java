package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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

  private static final Logger LOG = LoggerFactory.getLogger(EnvironmentOverrides.class);
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
    Map<String, String> names = new HashMap<>();
    Map<String, String> unsettable = new HashMap<>();
    for (ConfigSchema.Key key : ConfigSchema.keys()) {
      if (key.inList()) {
        continue;
      }
      if (!settable(key)) {
        unsettable.put(variable(key.path()), key.path());
        continue;
      }
      apply(key, environment, root, variables).forEach(name -> names.put(name, key.path()));
    }
    refuseMistakes(environment, names, unsettable);
    return new Applied(root, Map.copyOf(variables));
  }

  /** Applies the variables of {@code key}; returns their names. */
  private static List<String> apply(ConfigSchema.Key key, Map<String, String> environment, JsonObject root,
                                    Map<String, String> variables) {
    Object aliases = key.schema().getValue("x-env");
    boolean blankIsUnset = "unset".equals(key.schema().getString("x-env-blank"));
    List<String> names = new ArrayList<>();
    if (aliases instanceof JsonArray list) {
      list.forEach(alias -> names.add((String) alias));
    }
    names.add(variable(key.path()));
    for (String name : names) {
      String value = environment.get(name);
      if (value != null && !(blankIsUnset && value.isBlank())) {
        put(root, key.path(), convert(name, value, key.types()));
        variables.put(key.path(), name);
      }
    }
    return names;
  }

  /**
   * A variable that names a list or section, which no variable can set, stops startup as an unknown key in the file
   * does. One that is a letter or two from a variable's name ({@code HOOKCAST_HTTPPORT}) is warned about: ignored, its
   * key would keep the file's value unnoticed, but it may be no mistake (a secret's own variable, a Kubernetes
   * Service named {@code hookcast-https} makes {@code HOOKCAST_HTTPS_PORT}), so it does not stop a node. A Service's
   * {@code tcp://} address is never one.
   */
  private static void refuseMistakes(Map<String, String> environment, Map<String, String> names, Map<String, String> unsettable) {
    for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
      String name = variable.getKey();
      if (!name.startsWith("HOOKCAST_") || names.containsKey(name)) {
        continue;
      }
      if (unsettable.containsKey(name)) {
        throw new ConfigException(name + ": no variable sets " + unsettable.get(name) + " as a whole; write it in the config"
          + " file (a section's keys have a variable each)");
      }
      if (SERVICE_ADDRESS.matcher(variable.getValue()).lookingAt()) {
        continue;
      }
      String closest = null;
      int fewest = MAX_EDITS + 1;
      for (String known : new TreeSet<>(names.keySet())) {
        int edits = edits(name, known);
        if (edits < fewest) {
          closest = known;
          fewest = edits;
        }
      }
      if (closest != null) {
        LOG.warn(name + " sets no key and is ignored; did you mean " + closest + " (" + names.get(closest) + ")?");
      }
    }
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

  private static void put(JsonObject root, String path, Object value) {
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
          + ConfigJson.describe(existing));
      }
    }
    section.put(segments[segments.length - 1], value);
  }
}
