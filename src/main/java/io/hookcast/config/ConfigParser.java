package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the JSON configuration into {@link HookcastConfig}, or fails with a message naming the key. The schema
 * ({@link ConfigSchema}) has checked every key's type, range and presence and refused unknown keys (a misspelt
 * {@code timeoutMS} silently falling back to a default is found only when a backend times out in production), and
 * gives the defaults and every rule a single value can be held to; what is left here is what a schema cannot say:
 * URLs, names that refer to each other, and keys that depend on others.
 */
final class ConfigParser {

  /** A week: a longer wait is a backend nobody is waiting for. */
  private static final long MAX_SCHEDULE_WAIT_MS = 7L * 24 * 3_600_000;

  private ConfigParser() {
  }

  static HookcastConfig parse(JsonObject file, Map<String, String> environment) {
    if (file == null) {
      throw new ConfigException("configuration is empty");
    }
    EnvironmentOverrides.Applied applied = EnvironmentOverrides.apply(file, environment);
    try {
      return parse(applied, environment);
    } catch (ConfigException e) {
      throw namingItsVariable(e, applied.variables());
    }
  }

  /**
   * {@code error}, naming the variable that set its key, or the list its key is an item of ({@code roles[1]}:
   * {@code HOOKCAST_ROLES}).
   */
  static ConfigException namingItsVariable(ConfigException error, Map<String, String> variables) {
    String key = error.key();
    if (key != null) {
      for (Map.Entry<String, String> set : variables.entrySet()) {
        if (key.equals(set.getKey()) || key.startsWith(set.getKey() + "[")) {
          return error.setBy(set.getValue());
        }
      }
    }
    return error;
  }

  private static HookcastConfig parse(EnvironmentOverrides.Applied applied, Map<String, String> environment) {
    JsonObject root = applied.root();
    if (!root.containsKey("nodeName")) {
      // Validated as a written name is: the store keeps it in a column of 255 characters.
      root.put("nodeName", defaultNodeName(environment));
    }
    ConfigSchema.validate(root);
    HttpConfig http = parseHttp(section(root, "http"));
    DeliveryConfig delivery = parseDelivery(section(root, "delivery"));
    List<BackendConfig> backends = parseBackends(root.getJsonArray("backends"), delivery);
    List<RouteConfig> routes = parseRoutes(root.getJsonArray("routes"), backends);
    StoreConfig store = parseStore(section(root, "store"));
    checkAcrossSections(http, backends, routes, store);
    if (http.maxBufferedBytes() < http.maxBodyBytes()) {
      boolean written = section(root, "http").containsKey("maxBufferedBytes");
      throw ConfigException.at("http.maxBufferedBytes", http.maxBufferedBytes() + (written ? "" : " (half the heap, its default)")
        + " is less than http.maxBodyBytes (" + http.maxBodyBytes() + "): a body between the two would be refused as often as it"
        + " is sent; raise it" + (written ? "" : " or the heap (-Xmx)") + ", or lower http.maxBodyBytes");
    }
    JsonObject log = section(root, "log");
    return new HookcastConfig(root.getString("nodeName"), parseRoles(root.getJsonArray("roles")), http, delivery, backends, routes, store,
      parseAdmin(section(root, "admin"), applied.variables()), new MetricsConfig(flag(section(root, "metrics"), "enabled", "metrics.")),
      new ReloadConfig(whole(section(root, "reload"), "scanPeriodMs", "reload.")), parseDemo(section(root, "demo")),
      parseCluster(section(root, "cluster")), parseAlerts(root.getJsonArray("alerts")),
      new LogConfig(LogConfig.Format.valueOf(upper(text(log, "format", "log.")))),
      parseTelemetry(section(root, "telemetry"), environment));
  }

  /**
   * The rules between what a reload changes (backends, routes) and what only a restart does (listeners, store): a
   * reload is held to them against the running listeners and store, not only against its own file.
   */
  static void checkAcrossSections(HttpConfig http, List<BackendConfig> backends, List<RouteConfig> routes, StoreConfig store) {
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
      throw ConfigException.at("http.idleTimeoutMs", http.idleTimeoutMs() + " must be longer than the longest backend timeoutMs ("
        + longestDeliveryMs + ") plus 1000 ms, or a sender's connection is closed while its webhook is still being delivered");
    }
    boolean async = routes.stream().anyMatch(route -> route.mode() == RouteConfig.Mode.ASYNC);
    if (async && http.idleTimeoutMs() <= store.timeoutMs() + 1_000) {
      throw ConfigException.at("http.idleTimeoutMs", http.idleTimeoutMs() + " must be longer than store.timeoutMs ("
        + store.timeoutMs() + ") plus 1000 ms: an async route's answer waits for the store, and a sender's connection"
        + " closed meanwhile gets no answer for a webhook that may still be stored, so its retry would be delivered twice");
    }
  }

  private static List<AlertConfig> parseAlerts(JsonArray array) {
    if (array == null) {
      return List.of();
    }
    List<AlertConfig> alerts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String key = "alerts[" + i + "].";
      JsonObject json = array.getJsonObject(i);
      URI url = receiverUrl(json.getString("url"), key + "url");
      alerts.add(new AlertConfig(url, host(url, key + "url"), port(url, key + "url"), Set.copyOf(ConfigJson.strings(json.getValue("events"))),
        whole(json, "backlogAgeSeconds", key), whole(json, "quietSeconds", key), AlertConfig.Format.valueOf(upper(text(json, "format", key))),
        json.containsKey("sign") ? TrustConfigParser.parseSign(json.getJsonObject("sign")) : null));
    }
    return List.copyOf(alerts);
  }

  private static String defaultNodeName(Map<String, String> environment) {
    String host = environment.get("HOSTNAME");
    return (host == null || host.isBlank() ? "hookcast" : host) + "-" + ProcessHandle.current().pid();
  }

  private static Set<Role> parseRoles(JsonArray array) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    (array == null ? (JsonArray) ConfigSchema.defaultOf("roles") : array).forEach(role -> roles.add(Role.valueOf(upper((String) role))));
    return roles;
  }

  private static ClusterConfig parseCluster(JsonObject json) {
    String host = text(json, "host", "cluster.");
    JsonArray listed = json.getJsonArray("members");
    List<String> members = listed == null ? List.of(host) : listed.stream().map(member -> ((String) member).trim()).toList();
    // All three files or none (the schema requires them together): half a TLS setup would fail only when the first peer connects.
    JsonObject tls = json.getJsonObject("tls");
    return new ClusterConfig(text(json, "configFile", "cluster."), host, (int) whole(json, "port", "cluster."), members,
      tls == null ? null : new ClusterConfig.Tls(tls.getString("keyPath"), tls.getString("certPath"), tls.getString("trustPath")));
  }

  private static HttpConfig parseHttp(JsonObject json) {
    List<AddressBlock> trustedProxies = new ArrayList<>();
    JsonArray proxies = json.getJsonArray("trustedProxies", new JsonArray());
    for (int i = 0; i < proxies.size(); i++) {
      trustedProxies.add(AddressBlock.parse(proxies.getString(i).trim(), "http.trustedProxies[" + i + "]"));
    }
    return new HttpConfig(text(json, "host", "http."), (int) whole(json, "port", "http."), whole(json, "maxBodyBytes", "http."),
      (int) whole(json, "maxConcurrentWebhooks", "http."), whole(json, "maxBufferedBytes", HttpConfig.DEFAULT_MAX_BUFFERED_BYTES),
      whole(json, "idleTimeoutMs", "http."), whole(json, "requestTimeoutMs", "http."), parseAccessLog(json.getValue("accessLog")),
      (int) whole(json, "maxHeaderBytes", "http."), (int) whole(json, "maxHeaderCount", "http."), trustedProxies,
      AnswerDetail.valueOf(upper(text(json, "answerDetail", "http."))), parseTls(json, "http."));
  }

  private static AccessLogConfig parseAccessLog(Object raw) {
    JsonObject json = raw instanceof JsonObject object ? object : new JsonObject();
    return new AccessLogConfig(raw instanceof Boolean enabled ? enabled : flag(json, "enabled", "http.accessLog."),
      text(json, "query", "http.accessLog.").equals("full"));
  }

  private static DeliveryConfig parseDelivery(JsonObject json) {
    JsonObject async = section(json, "async");
    // The schema gives these defaults as whole objects: a backend's retry and circuitBreaker default to delivery's, key by key.
    JsonObject retry = (JsonObject) ConfigSchema.defaultOf("delivery.retry");
    JsonObject breaker = (JsonObject) ConfigSchema.defaultOf("delivery.circuitBreaker");
    return new DeliveryConfig(whole(json, "timeoutMs", "delivery."), (int) whole(json, "maxConnections", "delivery."),
      (int) whole(json, "maxInFlight", "delivery."), (int) whole(json, "maxQueued", "delivery."),
      (int) whole(json, "maxResponseBodyBytes", "delivery."),
      parseRetry(section(json, "retry"), "delivery.retry.", new RetryConfig(retry.getInteger("maxAttempts"),
        retry.getLong("initialBackoffMs"), retry.getLong("maxBackoffMs"))),
      parseCircuitBreaker(section(json, "circuitBreaker"), new CircuitBreakerConfig(breaker.getInteger("failureThreshold"),
        breaker.getLong("resetTimeoutMs"))),
      new AsyncDeliveryConfig(schedule(async, "delivery.async.",
        waits((JsonArray) ConfigSchema.defaultOf("delivery.async.schedule"), "delivery.async.")),
        whole(async, "leaseMs", "delivery.async.")));
  }

  private static RetryConfig parseRetry(JsonObject json, String prefix, RetryConfig defaults) {
    long initialBackoffMs = whole(json, "initialBackoffMs", defaults.initialBackoffMs());
    long maxBackoffMs = whole(json, "maxBackoffMs", defaults.maxBackoffMs());
    if (maxBackoffMs < initialBackoffMs) {
      throw ConfigException.at(prefix + "maxBackoffMs", maxBackoffMs + " is less than initialBackoffMs (" + initialBackoffMs + ")");
    }
    return new RetryConfig((int) whole(json, "maxAttempts", defaults.maxAttempts()), initialBackoffMs, maxBackoffMs);
  }

  private static CircuitBreakerConfig parseCircuitBreaker(JsonObject json, CircuitBreakerConfig defaults) {
    return new CircuitBreakerConfig((int) whole(json, "failureThreshold", defaults.failureThreshold()),
      whole(json, "resetTimeoutMs", defaults.resetTimeoutMs()));
  }

  /** A listener's {@code tls}, or {@code null} without one; its files are read after parsing (tls.TlsFiles). */
  private static TlsConfig parseTls(JsonObject listener, String prefix) {
    JsonObject json = listener.getJsonObject("tls");
    String key = prefix + "tls.";
    return json == null ? null : new TlsConfig(json.getString("certFile"), json.getString("keyFile"),
      whole(json, "reloadCheckMs", key));
  }

  private static List<BackendConfig> parseBackends(JsonArray array, DeliveryConfig delivery) {
    List<BackendConfig> backends = new ArrayList<>(array.size());
    Set<String> names = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "backends[" + i + "].";
      JsonObject json = array.getJsonObject(i);
      String name = json.getString("name");
      if (!names.add(name)) {
        throw new ConfigException(key + "name: duplicate backend name '" + name + "'; every backend needs its own name");
      }
      URI url = httpUrl(json.getString("url"), key + "url");
      JsonObject rate = json.getJsonObject("rate");
      backends.add(new BackendConfig(name, url, host(url, key + "url"), port(url, key + "url"), whole(json, "timeoutMs", delivery.timeoutMs()),
        (int) whole(json, "maxConnections", delivery.maxConnections()), (int) whole(json, "maxInFlight", delivery.maxInFlight()),
        (int) whole(json, "maxQueued", delivery.maxQueued()), delivery.maxResponseBodyBytes(),
        parseRetry(section(json, "retry"), key + "retry.", delivery.retry()), parseCircuitBreaker(section(json, "circuitBreaker"),
        delivery.circuitBreaker()), schedule(section(json, "async"), key + "async.", delivery.async().scheduleMs()),
        json.containsKey("sign") ? TrustConfigParser.parseSign(json.getJsonObject("sign")) : null,
        rate == null ? null : new RateConfig(rate.getInteger("perSecond"), (int) whole(rate, "burst", rate.getLong("perSecond")),
          whole(rate, "slowMs", key + "rate."))));
    }
    return List.copyOf(backends);
  }

  private static List<Long> schedule(JsonObject json, String prefix, List<Long> fallback) {
    JsonArray array = json.getJsonArray("schedule");
    return array == null ? fallback : waits(array, prefix);
  }

  private static List<Long> waits(JsonArray array, String prefix) {
    List<Long> waits = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      waits.add(Durations.parseMs(array.getString(i), prefix + "schedule[" + i + "]", MAX_SCHEDULE_WAIT_MS));
    }
    return List.copyOf(waits);
  }

  /** Without {@code routes}, one synchronous route to every backend: the original's behaviour. */
  private static List<RouteConfig> parseRoutes(JsonArray array, List<BackendConfig> backends) {
    List<String> allNames = backends.stream().map(BackendConfig::name).toList();
    if (array == null) {
      array = JsonArray.of(new JsonObject().put("path", "/").put("backends", new JsonArray(allNames)));
    }
    List<RouteConfig> routes = new ArrayList<>(array.size());
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String key = "routes[" + i + "].";
      JsonObject json = array.getJsonObject(i);
      String written = json.getString("path");
      String path = written.length() > 1 && written.endsWith("/") ? written.substring(0, written.length() - 1) : written;
      for (int earlier = 0; earlier < paths.size(); earlier++) {
        if (paths.get(earlier).equals(path)) {
          throw new ConfigException(key + "path: '" + path + "' is the path of an earlier route too");
        }
        if (paths.get(earlier).equalsIgnoreCase(path)) {
          throw new ConfigException(key + "path: '" + path + "' differs from routes[" + earlier + "].path '" + paths.get(earlier)
            + "' only in letter case: the ingress refuses a path that letter case could take to another route, so every"
            + " webhook to one of them would be refused");
        }
      }
      paths.add(path);
      List<String> names = routeBackends(json.getJsonArray("backends"), key + "backends", allNames);
      RouteConfig.Mode mode = RouteConfig.Mode.valueOf(upper(text(json, "mode", key)));
      VerifyConfig verify = json.containsKey("verify")
        ? TrustConfigParser.parseVerify(json.getJsonObject("verify"), key + "verify.") : null;
      Map<String, DeliveryCondition> deliver = json.containsKey("deliver")
        ? DeliveryConditionParser.parse(json.getJsonObject("deliver"), key + "deliver.", names) : Map.of();
      String primary = parsePrimary(json, key, names, mode);
      routes.add(new RouteConfig(path, names, mode, parseDedup(json.getValue("dedup"), key + "dedup", verify), verify, deliver, primary,
        parseMethods(json.getJsonArray("methods"), key + "methods"), parseOrder(json, key, mode)));
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
    JsonObject source = route.getJsonObject("order").getJsonObject("key");
    return new OrderConfig(source.getString("header"), source.getString("json"));
  }

  /** Upper case, as requests' methods are compared; the schema takes them in any case, so it cannot see "post" repeat "POST". */
  private static List<String> parseMethods(JsonArray array, String key) {
    if (array == null) {
      array = (JsonArray) ConfigSchema.defaultOf("routes[].methods");
    }
    List<String> methods = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String method = upper(array.getString(i));
      if (methods.contains(method)) {
        throw new ConfigException(key + "[" + i + "]: " + method + " is listed twice");
      }
      methods.add(method);
    }
    return List.copyOf(methods);
  }

  /** The backend whose response answers the sender, or {@code null} for the aggregate. */
  private static String parsePrimary(JsonObject json, String key, List<String> names, RouteConfig.Mode mode) {
    if (text(json, "answer", key).equals("aggregate")) {
      if (json.containsKey("primary")) {
        throw new ConfigException(key + "primary: only used with \"answer\": \"primary\"");
      }
      return null;
    }
    if (mode == RouteConfig.Mode.ASYNC) {
      throw new ConfigException(key + "answer: \"primary\" needs a sync route: an async route answers 202 at once, "
        + "before any backend has answered");
    }
    String primary = json.getString("primary");
    if (primary == null) {
      throw new ConfigException(key + "primary: missing");
    }
    if (!names.contains(primary)) {
      throw new ConfigException(key + "primary: '" + primary + "' is not one of the route's backends (" + String.join(", ", names) + ")");
    }
    return primary;
  }

  private static List<String> routeBackends(JsonArray array, String key, List<String> known) {
    for (Object name : array) {
      if (!known.contains(name)) {
        throw new ConfigException(key + ": " + ConfigJson.describe(name) + " is not the name of a backend in backends[] (known: "
          + String.join(", ", known) + ")");
      }
    }
    return ConfigJson.strings(array);
  }

  /**
   * {@code false} turns deduplication off; {@code true} or absent takes the defaults. On a verified route the sender
   * id comes only from what the signature covers, so that a replay with a changed id header is still a duplicate:
   * the signed id header where the scheme has one, otherwise a digest of the body.
   */
  private static RouteConfig.DedupConfig parseDedup(Object raw, String key, VerifyConfig verify) {
    JsonObject json = raw instanceof JsonObject object ? object : new JsonObject();
    long windowHours = whole(json, "windowHours", key + ".");
    if (Boolean.FALSE.equals(raw)) {
      return new RouteConfig.DedupConfig(RouteConfig.DedupConfig.Key.HEADER, List.of(), windowHours);
    }
    boolean signsId = verify != null && verify.scheme() == VerifyConfig.Scheme.STANDARD_WEBHOOKS;
    String source = json.getString("key", verify == null || signsId ? "header" : "body");
    if (source.equals("body")) {
      if (json.containsKey("header")) {
        throw new ConfigException(key + ".header: a sender id header means nothing with " + key + ".key \"body\"");
      }
      return new RouteConfig.DedupConfig(RouteConfig.DedupConfig.Key.BODY, List.of(), windowHours);
    }
    if (verify != null && !signsId) {
      throw new ConfigException(key + ".key: \"header\" on a route verified by " + verify.scheme().jsonName()
        + ": its signature covers no id header, so a replay could change the id and be delivered again; use \"body\"");
    }
    List<String> headers = json.containsKey("header") ? ConfigJson.strings(json.getValue("header"))
      : signsId ? RouteConfig.DedupConfig.SIGNED_ID_HEADERS : RouteConfig.DedupConfig.DEFAULT_HEADERS;
    if (signsId && !signedPrefix(headers)) {
      throw new ConfigException(key + ".header: on a route verified by standard-webhooks only webhook-id (or, after it, "
        + "Svix's svix-id) is signed; " + headers + " could be changed by a replay");
    }
    return new RouteConfig.DedupConfig(RouteConfig.DedupConfig.Key.HEADER, headers, windowHours);
  }

  /** Whether {@code headers} are the signed id headers, the first of them, or none (deduplication off), in their order. */
  private static boolean signedPrefix(List<String> headers) {
    List<String> signed = RouteConfig.DedupConfig.SIGNED_ID_HEADERS;
    if (headers.size() > signed.size()) {
      return false;
    }
    for (int i = 0; i < headers.size(); i++) {
      if (!headers.get(i).equalsIgnoreCase(signed.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static StoreConfig parseStore(JsonObject json) {
    return new StoreConfig(Path.of(text(json, "path", "store.")), json.getString("url"), json.getString("user"), json.getString("password"), whole(json, "retentionHours", "store."),
      whole(json, "timeoutMs", "store."));
  }

  /**
   * The operator API can read every stored webhook and send it again, so a listener that other machines can reach
   * must ask for a token: without one, startup stops.
   */
  private static AdminConfig parseAdmin(JsonObject json, Map<String, String> variables) {
    String host = text(json, "host", "admin.");
    String written = json.getString("token");
    String variable = variables.get("admin.token");
    Secret token = written == null ? null : new Secret(variable == null ? new SecretSource(SecretSource.Kind.CONFIG, "admin.token")
      : new SecretSource(SecretSource.Kind.ENV, variable), written.trim());
    if (token == null && !AdminConfig.isLoopback(host)) {
      throw new ConfigException("admin.token (or HOOKCAST_ADMIN_TOKEN) is required when admin.host (" + host
        + ") is not loopback: the operator API shows and resends stored webhooks");
    }
    return new AdminConfig(host, (int) whole(json, "port", "admin."), parseTls(json, "admin."), token,
      (int) whole(json, "recentSync", "admin."), ConfigJson.strings(json.getValue("redactHeaders",
      ConfigSchema.defaultOf("admin.redactHeaders"))));
  }

  /** Off unless an endpoint is configured, so that a node nobody collects traces from makes none. */
  private static TelemetryConfig parseTelemetry(JsonObject json, Map<String, String> environment) {
    String endpoint = section(json, "otlp").getString("endpoint");
    if (endpoint != null) {
      httpUrl(endpoint, "telemetry.otlp.endpoint");
    }
    boolean named = endpoint != null || present(environment, TelemetryConfig.ENDPOINT_VARIABLE)
      || present(environment, TelemetryConfig.TRACES_ENDPOINT_VARIABLE);
    // The SDK's own switch: with it set, autoconfigure would hand back a tracer that records nothing, and every
    // webhook would still pay for the spans it does not make.
    boolean disabled = "true".equalsIgnoreCase(environment.getOrDefault(TelemetryConfig.DISABLED_VARIABLE, "").trim());
    Number ratio = (Number) json.getValue("sampleRatio", ConfigSchema.defaultOf("telemetry.sampleRatio"));
    return new TelemetryConfig(endpoint, ratio.doubleValue(), named && !disabled);
  }

  private static boolean present(Map<String, String> environment, String variable) {
    String value = environment.get(variable);
    return value != null && !value.isBlank();
  }

  private static DemoConfig parseDemo(JsonObject json) {
    List<DemoConfig.DemoBackend> backends = new ArrayList<>();
    JsonArray array = json.getJsonArray("backends", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      String key = "demo.backends[" + i + "].";
      JsonObject entry = array.getJsonObject(i);
      backends.add(new DemoConfig.DemoBackend(entry.getString("name"), (int) whole(entry, "port", key)));
    }
    return new DemoConfig(text(json, "host", "demo."), List.copyOf(backends));
  }

  static URI httpUrl(String value, String key) {
    String shown = ConfigJson.withoutSecrets(value);
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      throw ConfigException.at(key, "'" + shown + "' is not a valid URL (" + e.getReason() + ")");
    }
    String scheme = url.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw ConfigException.at(key, "'" + shown + "' is not an http:// or https:// URL");
    }
    if (url.getRawAuthority() == null || url.getRawAuthority().isEmpty() || url.getRawUserInfo() != null) {
      throw ConfigException.at(key, "'" + shown + "' must name a host (and no user info)");
    }
    host(url, key);
    port(url, key);
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw ConfigException.at(key, "'" + shown + "' must not have a query or fragment; the webhook's own path and query are appended");
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
      throw ConfigException.at(key, "'" + ConfigJson.withoutSecrets(value) + "' is not a valid URL (" + e.getReason() + ")");
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
      throw ConfigException.at(key, "'" + ConfigJson.withoutSecrets(url.toString()) + "' has no valid host");
    }
    return host;
  }

  private static int port(URI url, String key) {
    if (url.getHost() != null && url.getPort() != -1) {
      if (url.getPort() < 1 || url.getPort() > 65535) {
        throw ConfigException.at(key, "'" + ConfigJson.withoutSecrets(url.toString()) + "' has an invalid port");
      }
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
      throw ConfigException.at(key, "'" + ConfigJson.withoutSecrets(url.toString()) + "' has an invalid port");
    }
    return "https".equals(url.getScheme()) ? 443 : 80;
  }

  // Readers of JSON the schema has validated: types and ranges hold, so nothing is checked or converted here.

  private static JsonObject section(JsonObject json, String key) {
    return json.getJsonObject(key, new JsonObject());
  }

  /** A whole number within its range; absent: the schema's default of {@code prefix + key}. */
  private static long whole(JsonObject json, String key, String prefix) {
    return whole(json, key, ((Number) ConfigSchema.defaultOf(prefix + key)).longValue());
  }

  /** As {@link #whole(JsonObject, String, String)}, with a default the schema cannot give (another key's value). */
  private static long whole(JsonObject json, String key, long fallback) {
    Number value = (Number) json.getValue(key);
    return value == null ? fallback : value.longValue();
  }

  private static String text(JsonObject json, String key, String prefix) {
    return json.getString(key, (String) ConfigSchema.defaultOf(prefix + key));
  }

  private static boolean flag(JsonObject json, String key, String prefix) {
    return json.getBoolean(key, (Boolean) ConfigSchema.defaultOf(prefix + key));
  }

  /** An enum constant's name from the schema's lower-case value. */
  private static String upper(String value) {
    return value.toUpperCase(Locale.ROOT);
  }
}
