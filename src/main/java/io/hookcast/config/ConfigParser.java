package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the JSON configuration into {@link HookcastConfig}, or fails with a message naming the key.
 * Unknown keys are refused: a misspelt {@code timeoutMS} silently falling back to a default is the kind of
 * mistake that is found only when a backend times out in production.
 */
final class ConfigParser {

  private static final int STORE_NAME_CHARS = 255;
  /** The store's column for a message's route. */
  private static final int STORE_ROUTE_CHARS = 2048;
  private static final Pattern BACKEND_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final int MAX_SCHEDULE_STEPS = 100;
  /** A week: a longer wait is a backend nobody is waiting for. */
  private static final long MAX_SCHEDULE_WAIT_MS = 7L * 24 * 3_600_000;

  // The documented range of every numeric key (docs/configuration.md). The upper bounds are far above any sane
  // setting and keep the arithmetic done with these values (deadlines in nanoseconds, backoff doublings, int
  // options of Vert.x and Netty) from overflowing.
  static final Range PORT = new Range(0, 65_535);
  /** The largest array a JVM allocates, since a body is held in one buffer. */
  private static final Range BODY_BYTES = new Range(1, Integer.MAX_VALUE - 8);
  private static final Range CONCURRENT_WEBHOOKS = new Range(1, 1_000_000);
  private static final Range BUFFERED_BYTES = new Range(1, 1L << 40);
  private static final Range IDLE_TIMEOUT_MS = new Range(1, 86_400_000);
  private static final Range REQUEST_TIMEOUT_MS = new Range(1, 3_600_000);
  private static final Range DELIVERY_TIMEOUT_MS = new Range(1, 600_000);
  private static final Range CONNECTIONS = new Range(1, 10_000);
  private static final Range IN_FLIGHT = new Range(1, 100_000);
  private static final Range QUEUED = new Range(0, 1_000_000);
  private static final Range RESPONSE_BODY_BYTES = new Range(1, 16 * 1024 * 1024);
  private static final Range ATTEMPTS = new Range(1, 100);
  private static final Range BACKOFF_MS = new Range(1, 600_000);
  private static final Range TLS_RELOAD_CHECK_MS = new Range(100, 86_400_000);
  private static final Range FAILURE_THRESHOLD = new Range(1, 10_000);
  private static final Range RESET_TIMEOUT_MS = new Range(1, 86_400_000);
  private static final Range SCAN_PERIOD_MS = new Range(0, 86_400_000);
  /** At least room for a request line and a few headers; at most what Netty will buffer for a head. */
  private static final Range HEADER_BYTES = new Range(1_024, 1_048_576);
  private static final Range HEADER_COUNT = new Range(1, 10_000);
  private static final Range LEASE_MS = new Range(1_000, 86_400_000);
  private static final Range DEDUP_WINDOW_HOURS = new Range(1, 8_760);
  private static final Range RETENTION_HOURS = new Range(1, 87_600);
  private static final Range STORE_TIMEOUT_MS = new Range(100, 600_000);
  private static final Range RATE_PER_SECOND = new Range(1, 100_000);
  private static final Range RATE_BURST = new Range(1, 1_000_000);
  private static final Range SLOW_MS = new Range(0, 600_000);
  private static final Range ALERT_SECONDS = new Range(1, 604_800);
  private static final Range QUIET_SECONDS = new Range(0, 604_800);

  private ConfigParser() {
  }

  static HookcastConfig parse(JsonObject file, Map<String, String> environment) {
    if (file == null) {
      throw new ConfigException("configuration is empty");
    }
    JsonObject root = EnvironmentOverrides.apply(file, environment);
    ConfigSchema.validate(root);
    ConfigJson.allowOnly(root, "", Set.of("nodeName", "roles", "http", "delivery", "backends", "routes", "store", "admin", "metrics", "reload",
      "demo", "cluster", "alerts", "log", "telemetry"));
    String nodeName = nodeName(string(root, "nodeName", "", defaultNodeName(environment)));
    Set<Role> roles = parseRoles(root);
    HttpConfig http = parseHttp(object(root, "http", ""));
    DeliveryConfig delivery = parseDelivery(object(root, "delivery", ""));
    List<BackendConfig> backends = parseBackends(root, delivery, environment);
    List<RouteConfig> routes = parseRoutes(root, backends, environment);
    StoreConfig store = parseStore(object(root, "store", ""));
    AdminConfig admin = AdminConfigParser.parse(object(root, "admin", ""), environment);
    JsonObject metricsJson = object(root, "metrics", "");
    ConfigJson.allowOnly(metricsJson, "metrics.", Set.of("enabled"));
    MetricsConfig metrics = new MetricsConfig(bool(metricsJson, "enabled", "metrics.", true));
    ReloadConfig reload = parseReload(object(root, "reload", ""));
    DemoConfig demo = parseDemo(object(root, "demo", ""));
    ClusterConfig cluster = parseCluster(object(root, "cluster", ""));
    LogConfig log = parseLog(object(root, "log", ""));
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig route = routes.get(i);
      if (route.mode() == RouteConfig.Mode.ASYNC && route.dedup().enabled() && route.dedup().windowHours() > store.retentionHours()) {
        throw new ConfigException("routes[" + i + "].dedup.windowHours (" + route.dedup().windowHours() + ") is longer than "
          + "store.retentionHours (" + store.retentionHours() + "): a repeat older than the retention would no longer be "
          + "found and would be delivered again; shorten the window or keep messages longer");
      }
    }
    long longestDeliveryMs = backends.stream().mapToLong(BackendConfig::timeoutMs).max().orElse(0);
    if (http.idleTimeoutMs() <= longestDeliveryMs + 1_000) {
      throw new ConfigException("http.idleTimeoutMs: " + http.idleTimeoutMs() + " must be longer than the longest backend timeoutMs ("
        + longestDeliveryMs + ") plus 1000 ms, or a sender's connection is closed while its webhook is still being delivered");
    }
    return new HookcastConfig(nodeName, roles, http, delivery, backends, routes, store, admin, metrics, reload, demo, cluster,
      parseAlerts(root.getValue("alerts"), environment), log, TelemetryConfigParser.parse(object(root, "telemetry", ""), environment));
  }

  private static LogConfig parseLog(JsonObject json) {
    ConfigJson.allowOnly(json, "log.", Set.of("format"));
    String format = string(json, "format", "log.", "text");
    return switch (format) {
      case "text" -> LogConfig.DEFAULT;
      case "json" -> new LogConfig(LogConfig.Format.JSON);
      default -> throw new ConfigException("log.format: '" + format + "' is not one of \"text\", \"json\"");
    };
  }

  private static List<AlertConfig> parseAlerts(Object raw, Map<String, String> environment) {
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw new ConfigException("alerts: expected a list of receivers, got " + describe(raw));
    }
    List<AlertConfig> alerts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String key = "alerts[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw new ConfigException("alerts[" + i + "]: expected an object with url and events, got " + describe(array.getValue(i)));
      }
      ConfigJson.allowOnly(json, key, Set.of("url", "events", "backlogAgeSeconds", "quietSeconds", "format", "sign"));
      URI url = receiverUrl(requiredString(json, "url", key), key + "url");
      List<String> events = ConfigJson.stringOrList(json, "events", key);
      if (events == null || events.isEmpty()) {
        throw new ConfigException(key + "events: missing; list what this receiver gets, from " + AlertConfig.EVENTS);
      }
      for (String event : events) {
        if (!AlertConfig.EVENTS.contains(event)) {
          throw new ConfigException(key + "events: '" + event + "' is not one of " + AlertConfig.EVENTS);
        }
      }
      String format = string(json, "format", key, "json");
      AlertConfig.Format parsedFormat = switch (format) {
        case "json" -> AlertConfig.Format.JSON;
        case "slack" -> AlertConfig.Format.SLACK;
        default -> throw new ConfigException(key + "format: '" + format + "' is not \"json\" or \"slack\"");
      };
      alerts.add(new AlertConfig(url, host(url, key + "url"), port(url, key + "url"), Set.copyOf(events),
        ALERT_SECONDS.read(json, "backlogAgeSeconds", key, AlertConfig.DEFAULT_BACKLOG_AGE_SECONDS),
        QUIET_SECONDS.read(json, "quietSeconds", key, AlertConfig.DEFAULT_QUIET_SECONDS), parsedFormat,
        json.containsKey("sign") ? TrustConfigParser.parseSign(object(json, "sign", key), key + "sign.", environment) : null));
    }
    return List.copyOf(alerts);
  }

  /**
   * The store records the node that holds a lease and made an attempt in columns of {@value #STORE_NAME_CHARS}
   * characters; a longer name would make every claim fail while webhooks are still accepted.
   */
  private static String nodeName(String name) {
    if (name.isBlank() || name.length() > STORE_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
      throw new ConfigException("nodeName (or HOOKCAST_NODE_NAME): " + describe(name) + " must be 1 to " + STORE_NAME_CHARS
        + " characters without control characters (the store keeps it in a column of that size)");
    }
    return name;
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
    ConfigJson.allowOnly(json, "cluster.", Set.of("configFile", "host", "port", "members", "tls"));
    String configFile = string(json, "configFile", "cluster.", ClusterConfig.DEFAULT_CONFIG_FILE);
    String host = string(json, "host", "cluster.", ClusterConfig.DEFAULT_HOST);
    int port = PORT.readInt(json, "port", "cluster.", ClusterConfig.DEFAULT_PORT);
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
    return new ClusterConfig(configFile, host, port, List.copyOf(members), parseClusterTls(json));
  }

  /** All three files or none: half a TLS setup would fail only when the first peer connects. */
  private static ClusterConfig.Tls parseClusterTls(JsonObject cluster) {
    if (cluster.getValue("tls") == null) {
      return null;
    }
    JsonObject json = object(cluster, "tls", "cluster.");
    ConfigJson.allowOnly(json, "cluster.tls.", Set.of("keyPath", "certPath", "trustPath"));
    return new ClusterConfig.Tls(requiredString(json, "keyPath", "cluster.tls."), requiredString(json, "certPath", "cluster.tls."),
      requiredString(json, "trustPath", "cluster.tls."));
  }

  private static HttpConfig parseHttp(JsonObject json) {
    ConfigJson.allowOnly(json, "http.", Set.of("host", "port", "maxBodyBytes", "maxConcurrentWebhooks", "maxBufferedBytes",
      "idleTimeoutMs", "requestTimeoutMs", "accessLog", "maxHeaderBytes", "maxHeaderCount", "trustedProxies",
      "answerDetail", "tls"));
    String host = string(json, "host", "http.", HttpConfig.DEFAULT_HOST);
    int port = PORT.readInt(json, "port", "http.", HttpConfig.DEFAULT_PORT);
    long maxBodyBytes = BODY_BYTES.read(json, "maxBodyBytes", "http.", HttpConfig.DEFAULT_MAX_BODY_BYTES);
    int maxConcurrentWebhooks = CONCURRENT_WEBHOOKS.readInt(json, "maxConcurrentWebhooks", "http.", HttpConfig.DEFAULT_MAX_CONCURRENT_WEBHOOKS);
    long maxBufferedBytes = BUFFERED_BYTES.read(json, "maxBufferedBytes", "http.", HttpConfig.DEFAULT_MAX_BUFFERED_BYTES);
    long idleTimeoutMs = IDLE_TIMEOUT_MS.read(json, "idleTimeoutMs", "http.", HttpConfig.DEFAULT_IDLE_TIMEOUT_MS);
    long requestTimeoutMs = REQUEST_TIMEOUT_MS.read(json, "requestTimeoutMs", "http.", HttpConfig.DEFAULT_REQUEST_TIMEOUT_MS);
    AccessLogConfig accessLog = parseAccessLog(json.getValue("accessLog"));
    int maxHeaderBytes = HEADER_BYTES.readInt(json, "maxHeaderBytes", "http.", HttpConfig.DEFAULT_MAX_HEADER_BYTES);
    int maxHeaderCount = HEADER_COUNT.readInt(json, "maxHeaderCount", "http.", HttpConfig.DEFAULT_MAX_HEADER_COUNT);
    List<AddressBlock> trustedProxies = addressBlocks(json, "trustedProxies", "http.");
    String answerDetailName = string(json, "answerDetail", "http.", AnswerDetail.FULL.jsonName());
    AnswerDetail answerDetail = AnswerDetail.of(answerDetailName).orElseThrow(() -> new ConfigException(
      "http.answerDetail: '" + answerDetailName + "' is not one of \"full\", \"status\""));
    return new HttpConfig(host, port, maxBodyBytes, maxConcurrentWebhooks, maxBufferedBytes, idleTimeoutMs, requestTimeoutMs, accessLog,
      maxHeaderBytes, maxHeaderCount, trustedProxies, answerDetail, parseTls(json, "http."));
  }

  /** {@code true}/{@code false}, or {@code {"enabled": …, "query": "redacted" | "full"}}. */
  private static AccessLogConfig parseAccessLog(Object raw) {
    if (raw == null) {
      return AccessLogConfig.DEFAULT;
    }
    if (raw instanceof Boolean enabled) {
      return new AccessLogConfig(enabled, AccessLogConfig.DEFAULT.fullQuery());
    }
    if (!(raw instanceof JsonObject json)) {
      throw new ConfigException("http.accessLog: expected true, false or an object with enabled and query, got " + describe(raw));
    }
    ConfigJson.allowOnly(json, "http.accessLog.", Set.of("enabled", "query"));
    String query = string(json, "query", "http.accessLog.", "redacted");
    if (!query.equals("redacted") && !query.equals("full")) {
      throw new ConfigException("http.accessLog.query: '" + query + "' is not \"redacted\" or \"full\"");
    }
    return new AccessLogConfig(bool(json, "enabled", "http.accessLog.", true), query.equals("full"));
  }

  private static List<AddressBlock> addressBlocks(JsonObject json, String key, String prefix) {
    Object value = json.getValue(key);
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(prefix + key + ": expected a list of IP addresses or CIDR blocks, got " + describe(value));
    }
    List<AddressBlock> blocks = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String entry)) {
        throw new ConfigException(prefix + key + "[" + i + "]: expected a string, got " + describe(array.getValue(i)));
      }
      blocks.add(AddressBlock.parse(entry.trim(), prefix + key + "[" + i + "]"));
    }
    return blocks;
  }

  private static DeliveryConfig parseDelivery(JsonObject json) {
    ConfigJson.allowOnly(json, "delivery.", Set.of("timeoutMs", "maxConnections", "maxInFlight", "maxQueued", "maxResponseBodyBytes",
      "retry", "circuitBreaker", "async"));
    long timeoutMs = DELIVERY_TIMEOUT_MS.read(json, "timeoutMs", "delivery.", DeliveryConfig.DEFAULT_TIMEOUT_MS);
    int maxConnections = CONNECTIONS.readInt(json, "maxConnections", "delivery.", DeliveryConfig.DEFAULT_MAX_CONNECTIONS);
    int maxInFlight = IN_FLIGHT.readInt(json, "maxInFlight", "delivery.", DeliveryConfig.DEFAULT_MAX_IN_FLIGHT);
    int maxQueued = QUEUED.readInt(json, "maxQueued", "delivery.", DeliveryConfig.DEFAULT_MAX_QUEUED);
    int maxResponseBodyBytes = RESPONSE_BODY_BYTES.readInt(json, "maxResponseBodyBytes", "delivery.", DeliveryConfig.DEFAULT_MAX_RESPONSE_BODY_BYTES);
    RetryConfig retry = parseRetry(object(json, "retry", "delivery."), "delivery.retry.", RetryConfig.DEFAULT);
    CircuitBreakerConfig circuitBreaker = parseCircuitBreaker(object(json, "circuitBreaker", "delivery."), "delivery.circuitBreaker.",
      CircuitBreakerConfig.DEFAULT);
    AsyncDeliveryConfig async = parseAsyncDelivery(object(json, "async", "delivery."));
    return new DeliveryConfig(timeoutMs, maxConnections, maxInFlight, maxQueued, maxResponseBodyBytes, retry, circuitBreaker, async);
  }

  private static RetryConfig parseRetry(JsonObject json, String prefix, RetryConfig defaults) {
    ConfigJson.allowOnly(json, prefix, Set.of("maxAttempts", "initialBackoffMs", "maxBackoffMs"));
    int maxAttempts = ATTEMPTS.readInt(json, "maxAttempts", prefix, defaults.maxAttempts());
    long initialBackoffMs = BACKOFF_MS.read(json, "initialBackoffMs", prefix, defaults.initialBackoffMs());
    long maxBackoffMs = BACKOFF_MS.read(json, "maxBackoffMs", prefix, defaults.maxBackoffMs());
    if (maxBackoffMs < initialBackoffMs) {
      throw new ConfigException(prefix + "maxBackoffMs: " + maxBackoffMs + " is less than initialBackoffMs (" + initialBackoffMs + ")");
    }
    return new RetryConfig(maxAttempts, initialBackoffMs, maxBackoffMs);
  }

  private static CircuitBreakerConfig parseCircuitBreaker(JsonObject json, String prefix, CircuitBreakerConfig defaults) {
    ConfigJson.allowOnly(json, prefix, Set.of("failureThreshold", "resetTimeoutMs"));
    int failureThreshold = FAILURE_THRESHOLD.readInt(json, "failureThreshold", prefix, defaults.failureThreshold());
    long resetTimeoutMs = RESET_TIMEOUT_MS.read(json, "resetTimeoutMs", prefix, defaults.resetTimeoutMs());
    return new CircuitBreakerConfig(failureThreshold, resetTimeoutMs);
  }

  /** A listener's {@code tls}, or {@code null} without one; its files are read after parsing (tls.TlsFiles). */
  static TlsConfig parseTls(JsonObject listener, String prefix) {
    if (!listener.containsKey("tls")) {
      return null;
    }
    String key = prefix + "tls.";
    JsonObject json = object(listener, "tls", prefix);
    ConfigJson.allowOnly(json, key, Set.of("certFile", "keyFile", "reloadCheckMs"));
    return new TlsConfig(requiredString(json, "certFile", key), requiredString(json, "keyFile", key),
      TLS_RELOAD_CHECK_MS.read(json, "reloadCheckMs", key, TlsConfig.DEFAULT_RELOAD_CHECK_MS));
  }

  private static ReloadConfig parseReload(JsonObject json) {
    ConfigJson.allowOnly(json, "reload.", Set.of("scanPeriodMs"));
    return new ReloadConfig(SCAN_PERIOD_MS.read(json, "scanPeriodMs", "reload.", ReloadConfig.DEFAULT_SCAN_PERIOD_MS));
  }

  private static List<BackendConfig> parseBackends(JsonObject root, DeliveryConfig delivery, Map<String, String> environment) {
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
      ConfigJson.allowOnly(json, key, Set.of("name", "url", "timeoutMs", "maxConnections", "maxInFlight", "maxQueued", "retry", "circuitBreaker",
        "async", "sign", "rate"));
      String name = requiredString(json, "name", key);
      if (!BACKEND_NAME.matcher(name).matches()) {
        throw new ConfigException(key + "name: '" + name + "' must be 1 to 64 letters, digits, '_', '.' or '-'");
      }
      if (!names.add(name)) {
        throw new ConfigException(key + "name: duplicate backend name '" + name + "'; every backend needs its own name");
      }
      URI url = httpUrl(requiredString(json, "url", key), key + "url");
      long timeoutMs = DELIVERY_TIMEOUT_MS.read(json, "timeoutMs", key, delivery.timeoutMs());
      int maxConnections = CONNECTIONS.readInt(json, "maxConnections", key, delivery.maxConnections());
      int maxInFlight = IN_FLIGHT.readInt(json, "maxInFlight", key, delivery.maxInFlight());
      int maxQueued = QUEUED.readInt(json, "maxQueued", key, delivery.maxQueued());
      RetryConfig retry = parseRetry(object(json, "retry", key), key + "retry.", delivery.retry());
      CircuitBreakerConfig circuitBreaker = parseCircuitBreaker(object(json, "circuitBreaker", key), key + "circuitBreaker.",
        delivery.circuitBreaker());
      JsonObject async = object(json, "async", key);
      ConfigJson.allowOnly(async, key + "async.", Set.of("schedule"));
      List<Long> asyncScheduleMs = schedule(async, key + "async.", delivery.async().scheduleMs());
      backends.add(new BackendConfig(name, url, host(url, key + "url"), port(url, key + "url"), timeoutMs, maxConnections,
        maxInFlight, maxQueued, delivery.maxResponseBodyBytes(), retry, circuitBreaker, asyncScheduleMs,
        json.containsKey("sign") ? TrustConfigParser.parseSign(object(json, "sign", key), key + "sign.", environment) : null,
        json.containsKey("rate") ? parseRate(object(json, "rate", key), key + "rate.") : null));
    }
    return List.copyOf(backends);
  }

  private static RateConfig parseRate(JsonObject json, String prefix) {
    ConfigJson.allowOnly(json, prefix, Set.of("perSecond", "burst", "slowMs"));
    if (!json.containsKey("perSecond")) {
      throw new ConfigException(prefix + "perSecond: missing; a rate is the most deliveries per second to the backend");
    }
    int perSecond = RATE_PER_SECOND.readInt(json, "perSecond", prefix, 1);
    int burst = RATE_BURST.readInt(json, "burst", prefix, perSecond);
    return new RateConfig(perSecond, burst, SLOW_MS.read(json, "slowMs", prefix, 0));
  }

  private static AsyncDeliveryConfig parseAsyncDelivery(JsonObject json) {
    ConfigJson.allowOnly(json, "delivery.async.", Set.of("schedule", "leaseMs"));
    List<Long> scheduleMs = schedule(json, "delivery.async.", AsyncDeliveryConfig.DEFAULT_SCHEDULE_MS);
    long leaseMs = LEASE_MS.read(json, "leaseMs", "delivery.async.", AsyncDeliveryConfig.DEFAULT_LEASE_MS);
    return new AsyncDeliveryConfig(scheduleMs, leaseMs);
  }

  /** The waits before each retry, as {@code "500ms"}, {@code "5s"}, {@code "5m"}, {@code "2h"} or {@code "1d"}. */
  private static List<Long> schedule(JsonObject json, String prefix, List<Long> fallback) {
    Object raw = json.getValue("schedule");
    if (raw == null) {
      return fallback;
    }
    if (!(raw instanceof JsonArray array) || array.size() > MAX_SCHEDULE_STEPS) {
      throw new ConfigException(prefix + "schedule: expected a list of at most " + MAX_SCHEDULE_STEPS
        + " waits such as \"5s\", \"5m\", \"2h\", got " + describe(raw));
    }
    List<Long> waits = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      waits.add(Durations.parseMs(array.getValue(i), prefix + "schedule[" + i + "]", MAX_SCHEDULE_WAIT_MS));
    }
    return List.copyOf(waits);
  }

  /** Without {@code routes}, one synchronous route to every backend: the original's behaviour. */
  private static List<RouteConfig> parseRoutes(JsonObject root, List<BackendConfig> backends, Map<String, String> environment) {
    Object raw = root.getValue("routes");
    List<String> allNames = backends.stream().map(BackendConfig::name).toList();
    if (raw == null) {
      return List.of(new RouteConfig("/", allNames, RouteConfig.Mode.SYNC, RouteConfig.DedupConfig.DEFAULT));
    }
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException("routes: expected a non-empty list of routes, got " + describe(raw));
    }
    List<RouteConfig> routes = new ArrayList<>(array.size());
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "routes[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject json)) {
        throw new ConfigException("routes[" + i + "]: expected an object with path and backends, got " + describe(array.getValue(i)));
      }
      ConfigJson.allowOnly(json, key, Set.of("path", "backends", "mode", "dedup", "verify", "deliver", "answer", "primary", "methods",
        "order"));
      String path = routePath(requiredString(json, "path", key), key + "path");
      if (!paths.add(path)) {
        throw new ConfigException(key + "path: '" + path + "' is the path of an earlier route too");
      }
      List<String> names = routeBackends(json.getValue("backends"), key + "backends", allNames);
      String mode = string(json, "mode", key, "sync");
      RouteConfig.Mode parsedMode = switch (mode) {
        case "sync" -> RouteConfig.Mode.SYNC;
        case "async" -> RouteConfig.Mode.ASYNC;
        default -> throw new ConfigException(key + "mode: '" + mode + "' is not \"sync\" or \"async\"");
      };
      VerifyConfig verify = json.containsKey("verify")
        ? TrustConfigParser.parseVerify(object(json, "verify", key), key + "verify.", environment) : null;
      Map<String, DeliveryCondition> deliver = json.containsKey("deliver")
        ? DeliveryConditionParser.parse(object(json, "deliver", key), key + "deliver.", names) : Map.of();
      String primary = parsePrimary(json, key, names, parsedMode);
      routes.add(new RouteConfig(path, names, parsedMode, parseDedup(json.getValue("dedup"), key + "dedup", verify), verify, deliver, primary,
        parseMethods(json.getValue("methods"), key + "methods"), parseOrder(json, key, parsedMode)));
    }
    return List.copyOf(routes);
  }

  private static OrderConfig parseOrder(JsonObject route, String key, RouteConfig.Mode mode) {
    if (!route.containsKey("order")) {
      return null;
    }
    if (mode != RouteConfig.Mode.ASYNC) {
      throw new ConfigException(key + "order: only an async route keeps an order; a sync route's sender already waits"
        + " for each webhook's deliveries before it sends the next");
    }
    JsonObject order = object(route, "order", key);
    ConfigJson.allowOnly(order, key + "order.", Set.of("key"));
    String keyKey = key + "order.key";
    if (!(order.getValue("key") instanceof JsonObject source) || source.size() != 1
      || !(source.containsKey("header") || source.containsKey("json"))) {
      throw new ConfigException(keyKey + ": expected {\"header\": name} or {\"json\": \"/pointer\"}, got "
        + describe(order.getValue("key")));
    }
    if (source.containsKey("header")) {
      return new OrderConfig(requiredString(source, "header", keyKey + "."), null);
    }
    return new OrderConfig(null, DeliveryConditionParser.pointer(source.getValue("json"), keyKey + ".json"));
  }

  /** What a route may list: every method a webhook or a provider's handshake uses; never CONNECT or TRACE. */
  private static final List<String> ROUTE_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private static List<String> parseMethods(Object raw, String key) {
    if (raw == null) {
      return RouteConfig.DEFAULT_METHODS;
    }
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(key + ": expected a non-empty list of HTTP methods such as [\"POST\"], got " + describe(raw));
    }
    List<String> methods = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object value = array.getValue(i);
      String method = value instanceof String text ? text.toUpperCase(Locale.ROOT) : null;
      if (method == null || !ROUTE_METHODS.contains(method)) {
        throw new ConfigException(key + "[" + i + "]: " + describe(value) + " is not a method a route takes ("
          + String.join(", ", ROUTE_METHODS) + ")");
      }
      if (methods.contains(method)) {
        throw new ConfigException(key + "[" + i + "]: " + method + " is listed twice");
      }
      methods.add(method);
    }
    return List.copyOf(methods);
  }

  /** The backend whose response answers the sender, or {@code null} for the aggregate. */
  private static String parsePrimary(JsonObject json, String key, List<String> names, RouteConfig.Mode mode) {
    String answer = string(json, "answer", key, "aggregate");
    switch (answer) {
      case "aggregate" -> {
        if (json.containsKey("primary")) {
          throw new ConfigException(key + "primary: only used with \"answer\": \"primary\"");
        }
        return null;
      }
      case "primary" -> {
        if (mode == RouteConfig.Mode.ASYNC) {
          throw new ConfigException(key + "answer: \"primary\" needs a sync route: an async route answers 202 at once, "
            + "before any backend has answered");
        }
        String primary = requiredString(json, "primary", key);
        if (!names.contains(primary)) {
          throw new ConfigException(key + "primary: '" + primary + "' is not one of the route's backends (" + String.join(", ", names) + ")");
        }
        return primary;
      }
      default -> throw new ConfigException(key + "answer: '" + answer + "' is not \"aggregate\" or \"primary\"");
    }
  }

  /** A route path is matched against normalised request paths, so it must be normalised itself. */
  private static String routePath(String path, String key) {
    if (!path.startsWith("/") || path.contains("//") || path.contains("?") || path.contains("#") || path.contains("\\")
      || path.contains("%") || path.contains(";")
      || Arrays.stream(path.split("/")).anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
      throw new ConfigException(key + ": '" + path + "' must start with '/' and be a plain path (no '//', '.', '..', '%', ';', '?' or '#')");
    }
    if (path.length() > STORE_ROUTE_CHARS) {
      throw new ConfigException(key + ": " + path.length() + " characters is longer than the " + STORE_ROUTE_CHARS
        + " the store keeps for a route");
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static List<String> routeBackends(Object raw, String key, List<String> known) {
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(key + ": expected a non-empty list of backend names, got " + (raw == null ? "nothing" : describe(raw)));
    }
    List<String> names = new ArrayList<>(array.size());
    for (Object value : array) {
      if (!(value instanceof String name) || !known.contains(name)) {
        throw new ConfigException(key + ": " + describe(value) + " is not the name of a backend in backends[] (known: "
          + String.join(", ", known) + ")");
      }
      if (names.contains(name)) {
        throw new ConfigException(key + ": '" + name + "' is listed twice");
      }
      names.add(name);
    }
    return List.copyOf(names);
  }

  /**
   * {@code false} turns deduplication off; {@code true} or absent takes the defaults. On a verified route the sender
   * id comes only from what the signature covers, so that a replay with a changed id header is still a duplicate:
   * the signed id header where the scheme has one, otherwise a digest of the body.
   */
  private static RouteConfig.DedupConfig parseDedup(Object raw, String key, VerifyConfig verify) {
    if (Boolean.FALSE.equals(raw)) {
      return RouteConfig.DedupConfig.OFF;
    }
    JsonObject json;
    if (raw == null || Boolean.TRUE.equals(raw)) {
      json = new JsonObject();
    } else if (raw instanceof JsonObject object) {
      json = object;
    } else {
      throw new ConfigException(key + ": expected true, false or an object with key, header and windowHours, got " + describe(raw));
    }
    ConfigJson.allowOnly(json, key + ".", Set.of("key", "header", "windowHours"));
    boolean signsId = verify != null && verify.scheme() == VerifyConfig.Scheme.STANDARD_WEBHOOKS;
    String defaultKey = verify == null || signsId ? "header" : "body";
    String source = string(json, "key", key + ".", defaultKey);
    RouteConfig.DedupConfig.Key dedupKey = switch (source) {
      case "header" -> RouteConfig.DedupConfig.Key.HEADER;
      case "body" -> RouteConfig.DedupConfig.Key.BODY;
      default -> throw new ConfigException(key + ".key: '" + source + "' is not \"header\" or \"body\"");
    };
    long windowHours = DEDUP_WINDOW_HOURS.read(json, "windowHours", key + ".", RouteConfig.DedupConfig.DEFAULT_WINDOW_HOURS);
    if (dedupKey == RouteConfig.DedupConfig.Key.BODY) {
      if (json.containsKey("header")) {
        throw new ConfigException(key + ".header: a sender id header means nothing with " + key + ".key \"body\"");
      }
      return new RouteConfig.DedupConfig(dedupKey, List.of(), windowHours);
    }
    if (verify != null && !signsId) {
      throw new ConfigException(key + ".key: \"header\" on a route verified by " + verify.scheme().jsonName()
        + ": its signature covers no id header, so a replay could change the id and be delivered again; use \"body\"");
    }
    Object header = json.getValue("header");
    List<String> headers;
    if (header == null) {
      headers = signsId ? RouteConfig.DedupConfig.SIGNED_ID_HEADERS : RouteConfig.DedupConfig.DEFAULT_HEADERS;
    } else if (header instanceof String name && !name.isBlank()) {
      headers = List.of(name);
    } else if (header instanceof JsonArray list && !list.isEmpty() && list.stream().allMatch(h -> h instanceof String s && !s.isBlank())) {
      headers = list.stream().map(String.class::cast).toList();
    } else {
      throw new ConfigException(key + ".header: expected a header name or a non-empty list of them, got " + describe(header));
    }
    if (signsId && !headers.stream().allMatch(h -> h.equalsIgnoreCase("webhook-id"))) {
      throw new ConfigException(key + ".header: on a route verified by standard-webhooks only webhook-id is signed; "
        + headers + " could be changed by a replay");
    }
    return new RouteConfig.DedupConfig(dedupKey, headers, windowHours);
  }

  private static StoreConfig parseStore(JsonObject json) {
    ConfigJson.allowOnly(json, "store.", Set.of("path", "url", "user", "password", "retentionHours", "timeoutMs"));
    String path = string(json, "path", "store.", StoreConfig.DEFAULT_PATH.toString());
    if (path.isBlank()) {
      throw new ConfigException("store.path: must name a directory");
    }
    String url = string(json, "url", "store.", null);
    if (url != null && !url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new ConfigException("store.url: '" + url + "' is not a postgresql://host:port/database URL");
    }
    String user = string(json, "user", "store.", null);
    String password = string(json, "password", "store.", null);
    long retentionHours = RETENTION_HOURS.read(json, "retentionHours", "store.", StoreConfig.DEFAULT_RETENTION_HOURS);
    return new StoreConfig(Path.of(path), url, user, password, retentionHours,
      STORE_TIMEOUT_MS.read(json, "timeoutMs", "store.", StoreConfig.DEFAULT_TIMEOUT_MS));
  }

  private static DemoConfig parseDemo(JsonObject json) {
    ConfigJson.allowOnly(json, "demo.", Set.of("host", "backends"));
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
      ConfigJson.allowOnly(entry, key, Set.of("name", "port"));
      backends.add(new DemoConfig.DemoBackend(requiredString(entry, "name", key), PORT.readInt(entry, "port", key, 0)));
    }
    return new DemoConfig(host, List.copyOf(backends));
  }

  static URI httpUrl(String value, String key) {
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

  /** An alert receiver's URL: as a backend's, but it is posted to as it is, so it may have a query. */
  private static URI receiverUrl(String value, String key) {
    int query = value.indexOf('?');
    URI base = httpUrl(query < 0 ? value : value.substring(0, query), key);
    try {
      return query < 0 ? base : new URI(value);
    } catch (URISyntaxException e) {
      throw new ConfigException(key + ": '" + value + "' is not a valid URL (" + e.getReason() + ")");
    }
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

  static String string(JsonObject json, String key, String prefix, String fallback) {
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

  static String describe(Object value) {
    return ConfigJson.describe(value);
  }
}
