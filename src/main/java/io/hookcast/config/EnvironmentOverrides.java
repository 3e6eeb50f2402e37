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

/**
 * {@code HOOKCAST_*} environment variables over the config file, so that several nodes (docker-compose services,
 * pods) can share one file and differ only in what a node may set for itself. One rule, from the schema: a key
 * outside any list is set by {@code HOOKCAST_} and its segments in upper snake case ({@code cluster.tls.keyPath}:
 * {@code HOOKCAST_CLUSTER_TLS_KEY_PATH}), the value converted by the key's type (a list is comma-separated); the
 * shorter names are the key's {@code x-env} aliases, the rule's name winning over them. A key with
 * {@code x-env-blank} "unset" ({@code admin.token}) ignores a blank variable, as a compose file's {@code ${TOKEN:-}} gives one.
 */
final class EnvironmentOverrides {

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
   * A variable that names a key no variable can set, or that is one or two letters away from a variable's name
   * ({@code HOOKCAST_HTTPPORT}), stops startup as an unknown key in the file does: ignored, its key would keep the
   * file's value unnoticed. Others are left alone: the launcher's own ({@code HOOKCAST_JVM_OPTS}), and those an
   * orchestrator makes from a service's name (Kubernetes' {@code HOOKCAST_SERVICE_HOST}).
   */
  private static void refuseMistakes(Map<String, String> environment, Map<String, String> names, Map<String, String> unsettable) {
    for (String name : environment.keySet()) {
      if (!name.startsWith("HOOKCAST_") || names.containsKey(name)) {
        continue;
      }
      if (unsettable.containsKey(name)) {
        throw new ConfigException(name + ": no variable sets " + unsettable.get(name) + " as a whole; write it in the config"
          + " file (a section's keys have a variable each)");
      }
      for (String known : names.keySet()) {
        if (withinTwoEdits(name, known)) {
          throw new ConfigException(name + ": no key is set by this variable; did you mean " + known + " ("
            + names.get(known) + ")?");
        }
      }
    }
  }

  /** Whether at most two letters inserted, removed or replaced turn {@code a} into {@code b} (Levenshtein). */
  private static boolean withinTwoEdits(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return false;
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
    return previous[b.length()] <= 2;
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
