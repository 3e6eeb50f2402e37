package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code HOOKCAST_*} environment variables over the config file, so that several nodes (docker-compose services,
 * pods) can share one file and differ only in what a node may set for itself: its name, roles and cluster address.
 */
final class EnvironmentOverrides {

  private EnvironmentOverrides() {
  }

  static JsonObject apply(JsonObject file, Map<String, String> environment) {
    JsonObject root = file.copy();
    String nodeName = environment.get("HOOKCAST_NODE_NAME");
    if (nodeName != null) {
      root.put("nodeName", nodeName);
    }
    String roles = environment.get("HOOKCAST_ROLES");
    if (roles != null) {
      root.put("roles", list(roles));
    }
    String httpPort = environment.get("HOOKCAST_HTTP_PORT");
    if (httpPort != null) {
      section(root, "http").put("port", number("HOOKCAST_HTTP_PORT", httpPort));
    }
    String adminPort = environment.get("HOOKCAST_ADMIN_PORT");
    if (adminPort != null) {
      section(root, "admin").put("port", number("HOOKCAST_ADMIN_PORT", adminPort));
    }
    String clusterHost = environment.get("HOOKCAST_CLUSTER_HOST");
    if (clusterHost != null) {
      section(root, "cluster").put("host", clusterHost);
    }
    String clusterPort = environment.get("HOOKCAST_CLUSTER_PORT");
    if (clusterPort != null) {
      section(root, "cluster").put("port", number("HOOKCAST_CLUSTER_PORT", clusterPort));
    }
    String members = environment.get("HOOKCAST_CLUSTER_MEMBERS");
    if (members != null) {
      section(root, "cluster").put("members", list(members));
    }
    String clusterConfig = environment.get("HOOKCAST_CLUSTER_CONFIG");
    if (clusterConfig != null) {
      section(root, "cluster").put("configFile", clusterConfig);
    }
    for (String field : new String[] {"url", "user", "password", "path"}) {
      String value = environment.get("HOOKCAST_STORE_" + field.toUpperCase(Locale.ROOT));
      if (value != null) {
        section(root, "store").put(field, value);
      }
    }
    String logFormat = environment.get("HOOKCAST_LOG_FORMAT");
    if (logFormat != null) {
      section(root, "log").put("format", logFormat);
    }
    clusterTls(root, environment, "HOOKCAST_CLUSTER_TLS_KEY", "keyPath");
    clusterTls(root, environment, "HOOKCAST_CLUSTER_TLS_CERT", "certPath");
    clusterTls(root, environment, "HOOKCAST_CLUSTER_TLS_TRUST", "trustPath");
    return root;
  }

  /** Each node has its own key and certificate, so their paths may differ between nodes sharing one file. */
  private static void clusterTls(JsonObject root, Map<String, String> environment, String variable, String key) {
    String path = environment.get(variable);
    if (path != null) {
      section(section(root, "cluster"), "tls").put(key, path);
    }
  }

  private static JsonObject section(JsonObject root, String key) {
    Object value = root.getValue(key);
    if (value instanceof JsonObject section) {
      return section;
    }
    if (value != null) {
      throw new ConfigException(key + ": expected an object, got " + value);
    }
    JsonObject created = new JsonObject();
    root.put(key, created);
    return created;
  }

  private static JsonArray list(String commaSeparated) {
    return new JsonArray(Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
  }

  /** Any size, so that the key's range check reports a value too large for a long as it was given. */
  private static BigInteger number(String variable, String value) {
    try {
      return new BigInteger(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(variable + ": '" + value + "' is not a whole number");
    }
  }
}
