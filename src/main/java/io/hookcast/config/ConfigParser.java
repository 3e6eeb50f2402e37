package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the JSON configuration into {@link HookcastConfig}, or fails with a message naming the key.
 * Unknown keys are refused: a misspelt {@code timeoutMS} silently falling back to a default is the kind of
 * mistake that is found only when a backend times out in production.
 */
final class ConfigParser {

  private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private ConfigParser() {
  }

  static HookcastConfig parse(JsonObject file, Map<String, String> environment) {
    if (file == null) {
      throw new ConfigException("configuration is empty");
    }
    JsonObject root = EnvironmentOverrides.apply(file, environment);
    allowOnly(root, "", Set.of("nodeName", "roles", "http", "delivery", "backends", "admin", "metrics", "reload", "demo", "cluster"));
    String nodeName = string(root, "nodeName", "", defaultNodeName(environment));
    Set<Role> roles = parseRoles(root);
    HttpConfig http = parseHttp(object(root, "http", ""));
    DeliveryConfig delivery = parseDelivery(object(root, "delivery", ""));
    List<BackendConfig> backends = parseBackends(root, delivery);
    AdminConfig admin = parseAdmin(object(root, "admin", ""));
    JsonObject metricsJson = object(root, "metrics", "");
    allowOnly(metricsJson, "metrics.", Set.of("enabled"));
    MetricsConfig metrics = new MetricsConfig(bool(metricsJson, "enabled", "metrics.", true));
    ReloadConfig reload = parseReload(object(root, "reload", ""));
    DemoConfig demo = parseDemo(object(root, "demo", ""));
    ClusterConfig cluster = parseCluster(object(root, "cluster", ""));
    long longestDeliveryMs = backends.stream().mapToLong(BackendConfig::timeoutMs).max().orElse(0);
    if (http.idleTimeoutMs() <= longestDeliveryMs + 1_000) {
      throw new ConfigException("http.idleTimeoutMs: " + http.idleTimeoutMs() + " must be longer than the longest backend timeoutMs ("
        + longestDeliveryMs + ") plus 1000 ms, or a sender's connection is closed while its webhook is still being delivered");
    }
    return new HookcastConfig(nodeName, roles, http, delivery, backends, admin, metrics, reload, demo, cluster);
  }

  private static String defaultNodeName(Map<String, String> environment) {
    String host = environment.get("HOSTNAME");
    return (host == null || host.isBlank() ? "hookcast" : host) + "-" + ProcessHandle.current().pid();
  }

  private static Set<Role> parseRoles(JsonObject root) {
    Object raw = root.getValue("roles");
    if (raw == null) {
      return EnumSet.allOf(Role.class);
    }
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException("roles: expected a non-empty list of \"ingress\" and/or \"forwarder\", got " + describe(raw));
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object value : array) {
      Role role = Arrays.stream(Role.values()).filter(r -> r.jsonName().equals(value)).findFirst()
        .orElseThrow(() -> new ConfigException("roles: unknown role " + describe(value) + " (known roles: ingress, forwarder)"));
      roles.add(role);
    }
    return roles;
  }

  private static ClusterConfig parseCluster(JsonObject json) {
    allowOnly(json, "cluster.", Set.of("configFile", "host", "port", "members"));
    String configFile = string(json, "configFile", "cluster.", ClusterConfig.DEFAULT_CONFIG_FILE);
    String host = string(json, "host", "cluster.", ClusterConfig.DEFAULT_HOST);
    int port = port(json, "port", "cluster.", ClusterConfig.DEFAULT_PORT);
    Object raw = json.getValue("members");
    List<String> members = new ArrayList<>();
    if (raw == null) {
      members.add(host);
    } else if (raw instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String member) || member.isBlank()) {
          throw new ConfigException("cluster.members[" + i + "]: expected \"host\" or \"host:port\", got " + describe(array.getValue(i)));
        }
        members.add(member.trim());
      }
    } else {
      throw new ConfigException("cluster.members: expected a list of \"host\" or \"host:port\", got " + describe(raw));
    }
    return new ClusterConfig(configFile, host, port, List.copyOf(members));
  }

  private static HttpConfig parseHttp(JsonObject json) {
    allowOnly(json, "http.", Set.of("host", "port", "maxBodyBytes", "maxConcurrentWebhooks", "maxBufferedBytes",
      "idleTimeoutMs", "requestTimeoutMs", "accessLog", "answerDetail"));
    String host = string(json, "host", "http.", HttpConfig.DEFAULT_HOST);
    int port = port(json, "port", "http.", HttpConfig.DEFAULT_PORT);
    long maxBodyBytes = positiveLong(json, "maxBodyBytes", "http.", HttpConfig.DEFAULT_MAX_BODY_BYTES);
    if (maxBodyBytes > Integer.MAX_VALUE - 8) {
      throw new ConfigException("http.maxBodyBytes: " + maxBodyBytes + " is larger than the largest body a JVM buffer can hold");
    }
    int maxConcurrentWebhooks = positiveInt(json, "maxConcurrentWebhooks", "http.", HttpConfig.DEFAULT_MAX_CONCURRENT_WEBHOOKS);
    long maxBufferedBytes = positiveLong(json, "maxBufferedBytes", "http.", HttpConfig.DEFAULT_MAX_BUFFERED_BYTES);
    long idleTimeoutMs = positiveLong(json, "idleTimeoutMs", "http.", HttpConfig.DEFAULT_IDLE_TIMEOUT_MS);
    long requestTimeoutMs = positiveLong(json, "requestTimeoutMs", "http.", HttpConfig.DEFAULT_REQUEST_TIMEOUT_MS);
    boolean accessLog = bool(json, "accessLog", "http.", true);
    String answerDetailName = string(json, "answerDetail", "http.", AnswerDetail.FULL.jsonName());
    AnswerDetail answerDetail = AnswerDetail.of(answerDetailName).orElseThrow(() -> new ConfigException(
      "http.answerDetail: '" + answerDetailName + "' is not one of \"full\", \"status\""));
    return new HttpConfig(host, port, maxBodyBytes, maxConcurrentWebhooks, maxBufferedBytes, idleTimeoutMs, requestTimeoutMs, accessLog,
      answerDetail);
  }

  private static DeliveryConfig parseDelivery(JsonObject json) {
    allowOnly(json, "delivery.", Set.of("timeoutMs", "maxConnections", "maxInFlight", "maxQueued", "maxResponseBodyBytes",
      "retry", "circuitBreaker"));
    long timeoutMs = positiveLong(json, "timeoutMs", "delivery.", DeliveryConfig.DEFAULT_TIMEOUT_MS);
    int maxConnections = positiveInt(json, "maxConnections", "delivery.", DeliveryConfig.DEFAULT_MAX_CONNECTIONS);
    int maxInFlight = positiveInt(json, "maxInFlight", "delivery.", DeliveryConfig.DEFAULT_MAX_IN_FLIGHT);
    int maxQueued = (int) Math.min(Integer.MAX_VALUE, nonNegativeLong(json, "maxQueued", "delivery.", DeliveryConfig.DEFAULT_MAX_QUEUED));
    int maxResponseBodyBytes = positiveInt(json, "maxResponseBodyBytes", "delivery.", DeliveryConfig.DEFAULT_MAX_RESPONSE_BODY_BYTES);
    RetryConfig retry = parseRetry(object(json, "retry", "delivery."), "delivery.retry.", RetryConfig.DEFAULT);
    CircuitBreakerConfig circuitBreaker = parseCircuitBreaker(object(json, "circuitBreaker", "delivery."), "delivery.circuitBreaker.",
      CircuitBreakerConfig.DEFAULT);
    return new DeliveryConfig(timeoutMs, maxConnections, maxInFlight, maxQueued, maxResponseBodyBytes, retry, circuitBreaker);
  }

  private static RetryConfig parseRetry(JsonObject json, String prefix, RetryConfig defaults) {
    allowOnly(json, prefix, Set.of("maxAttempts", "initialBackoffMs", "maxBackoffMs"));
    int maxAttempts = positiveInt(json, "maxAttempts", prefix, defaults.maxAttempts());
    long initialBackoffMs = positiveLong(json, "initialBackoffMs", prefix, defaults.initialBackoffMs());
    long maxBackoffMs = positiveLong(json, "maxBackoffMs", prefix, defaults.maxBackoffMs());
    if (maxBackoffMs < initialBackoffMs) {
      throw new ConfigException(prefix + "maxBackoffMs: " + maxBackoffMs + " is less than initialBackoffMs (" + initialBackoffMs + ")");
    }
    return new RetryConfig(maxAttempts, initialBackoffMs, maxBackoffMs);
  }

  private static CircuitBreakerConfig parseCircuitBreaker(JsonObject json, String prefix, CircuitBreakerConfig defaults) {
    allowOnly(json, prefix, Set.of("failureThreshold", "resetTimeoutMs"));
    int failureThreshold = positiveInt(json, "failureThreshold", prefix, defaults.failureThreshold());
    long resetTimeoutMs = positiveLong(json, "resetTimeoutMs", prefix, defaults.resetTimeoutMs());
    return new CircuitBreakerConfig(failureThreshold, resetTimeoutMs);
  }

  private static AdminConfig parseAdmin(JsonObject json) {
    allowOnly(json, "admin.", Set.of("host", "port"));
    return new AdminConfig(string(json, "host", "admin.", AdminConfig.DEFAULT_HOST), port(json, "port", "admin.", AdminConfig.DEFAULT_PORT));
  }

  private static ReloadConfig parseReload(JsonObject json) {
    allowOnly(json, "reload.", Set.of("scanPeriodMs"));
    return new ReloadConfig(nonNegativeLong(json, "scanPeriodMs", "reload.", ReloadConfig.DEFAULT_SCAN_PERIOD_MS));
  }

  private static List<BackendConfig> parseBackends(JsonObject root, DeliveryConfig delivery) {
    Object raw = root.getValue("backends");
    if (raw == null) {
      throw new ConfigException("backends: missing; configure at least one backend to deliver webhooks to");
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("backends: expected a list of backends, got " + describe(raw));
    }
    if (array.isEmpty()) {
      throw new ConfigException("backends: the list is empty; configure at least one backend to deliver webhooks to");
    }
    List<BackendConfig> backends = new ArrayList<>(array.size());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "backends[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw new ConfigException("backends[" + i + "]: expected an object with name and url, got " + describe(array.getValue(i)));
      }
      allowOnly(json, key, Set.of("name", "url", "timeoutMs", "maxConnections", "maxInFlight", "maxQueued", "retry", "circuitBreaker"));
      String name = requiredString(json, "name", key);
      if (!BACKEND_NAME.matcher(name).matches()) {
        throw new ConfigException(key + "name: '" + name + "' must be 1 to 64 letters, digits, '_', '.' or '-'");
      }
      if (!names.add(name)) {
        throw new ConfigException(key + "name: duplicate backend name '" + name + "'; every backend needs its own name");
      }
      URI url = httpUrl(requiredString(json, "url", key), key + "url");
      long timeoutMs = positiveLong(json, "timeoutMs", key, delivery.timeoutMs());
      int maxConnections = positiveInt(json, "maxConnections", key, delivery.maxConnections());
      int maxInFlight = positiveInt(json, "maxInFlight", key, delivery.maxInFlight());
      int maxQueued = (int) Math.min(Integer.MAX_VALUE, nonNegativeLong(json, "maxQueued", key, delivery.maxQueued()));
      RetryConfig retry = parseRetry(object(json, "retry", key), key + "retry.", delivery.retry());
      CircuitBreakerConfig circuitBreaker = parseCircuitBreaker(object(json, "circuitBreaker", key), key + "circuitBreaker.",
        delivery.circuitBreaker());
      backends.add(new BackendConfig(name, url, host(url, key + "url"), port(url, key + "url"), timeoutMs, maxConnections,
        maxInFlight, maxQueued, delivery.maxResponseBodyBytes(), retry, circuitBreaker));
    }
    return List.copyOf(backends);
  }

  private static DemoConfig parseDemo(JsonObject json) {
    allowOnly(json, "demo.", Set.of("host", "backends"));
    String host = string(json, "host", "demo.", "127.0.0.1");
    Object raw = json.getValue("backends");
    if (raw == null) {
      return new DemoConfig(host, List.of());
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("demo.backends: expected a list, got " + describe(raw));
    }
    List<DemoConfig.DemoBackend> backends = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "demo.backends[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        throw new ConfigException("demo.backends[" + i + "]: expected an object with name and port, got " + describe(array.getValue(i)));
      }
      allowOnly(entry, key, Set.of("name", "port"));
      backends.add(new DemoConfig.DemoBackend(requiredString(entry, "name", key), port(entry, "port", key, 0)));
    }
    return new DemoConfig(host, List.copyOf(backends));
  }

  private static URI httpUrl(String value, String key) {
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key + ": '" + value + "' is not a valid URL (" + e.getReason() + ")");
    }
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new ConfigException(key + ": '" + value + "' is not an http:// or https:// URL");
    }
    if (url.getRawAuthority() == null || url.getRawAuthority().isEmpty() || url.getRawUserInfo() != null) {
      throw new ConfigException(key + ": '" + value + "' must name a host (and no user info)");
    }
    host(url, key);
    port(url, key);
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new ConfigException(key + ": '" + value + "' must not have a query or fragment; the webhook's own path and query are appended");
    }
    return url;
  }

  /** The host, also when {@link URI} found the authority not to be a valid server name (e.g. underscores). */
  private static String host(URI url, String key) {
    if (url.getHost() != null) {
      return url.getHost();
    }
    String authority = url.getRawAuthority();
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    if (host.isEmpty() || !host.matches("[A-Za-z0-9_.-]+")) {
      throw new ConfigException(key + ": '" + url + "' has no valid host");
    }
    return host;
  }

  private static int port(URI url, String key) {
    if (url.getHost() != null && url.getPort() != -1) {
      return url.getPort();
    }
    String authority = url.getRawAuthority();
    int colon = authority.lastIndexOf(':');
    if (url.getHost() == null && colon >= 0) {
      try {
        int port = Integer.parseInt(authority.substring(colon + 1));
        if (port >= 1 && port <= 65535) {
          return port;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      throw new ConfigException(key + ": '" + url + "' has an invalid port");
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  private static void allowOnly(JsonObject json, String prefix, Set<String> allowed) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        throw new ConfigException(prefix + key + ": unknown key (known keys here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private static JsonObject object(JsonObject json, String key, String prefix) {
    Object value = json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw new ConfigException(prefix + key + ": expected an object, got " + describe(value));
    }
    return object;
  }

  private static String requiredString(JsonObject json, String key, String prefix) {
    String value = string(json, key, prefix, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException(prefix + key + ": missing");
    }
    return value;
  }

  private static String string(JsonObject json, String key, String prefix, String fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(prefix + key + ": expected a string, got " + describe(value));
    }
    return s;
  }

  private static boolean bool(JsonObject json, String key, String prefix, boolean fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(prefix + key + ": expected true or false, got " + describe(value));
    }
    return b;
  }

  private static int port(JsonObject json, String key, String prefix, int fallback) {
    long port = integer(json, key, prefix, fallback);
    if (port < 0 || port > 65535) {
      throw new ConfigException(prefix + key + ": " + port + " is out of range (0-65535)");
    }
    return (int) port;
  }

  private static long nonNegativeLong(JsonObject json, String key, String prefix, long fallback) {
    long value = integer(json, key, prefix, fallback);
    if (value < 0) {
      throw new ConfigException(prefix + key + ": " + value + " must not be negative");
    }
    return value;
  }

  private static int positiveInt(JsonObject json, String key, String prefix, long fallback) {
    long value = positiveLong(json, key, prefix, fallback);
    if (value > Integer.MAX_VALUE) {
      throw new ConfigException(prefix + key + ": " + value + " is larger than " + Integer.MAX_VALUE);
    }
    return (int) value;
  }

  private static long positiveLong(JsonObject json, String key, String prefix, long fallback) {
    long value = integer(json, key, prefix, fallback);
    if (value <= 0) {
      throw new ConfigException(prefix + key + ": " + value + " must be greater than 0");
    }
    return value;
  }

  private static long integer(JsonObject json, String key, String prefix, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(prefix + key + ": expected a whole number, got " + describe(value));
    }
    return n.longValue();
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "the string \"" + s + "\"";
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(value);
  }
}
