package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The whole, validated configuration of one Hookcast node; nothing downstream reads raw JSON. Each component is the
 * top-level key of the same name; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema.
 *
 * @param routes always at least one: without {@code routes}, one sync route {@code /} to every backend
 */
public record HookcastConfig(String nodeName, Set<Role> roles, HttpConfig http, DeliveryConfig delivery,
                             List<BackendConfig> backends, List<RouteConfig> routes, StoreConfig store, AdminConfig admin,
                             MetricsConfig metrics, ReloadConfig reload, DemoConfig demo, ClusterConfig cluster,
                             List<AlertConfig> alerts, LogConfig log, TelemetryConfig telemetry) {

  /**
   * Parses the file's JSON with the {@code HOOKCAST_*} environment variables applied on top.
   *
   * @throws ConfigException naming the first key that is wrong
   */
  public static HookcastConfig fromJson(JsonObject json) {
    return fromJson(json, System.getenv());
  }

  public static HookcastConfig fromJson(JsonObject json, Map<String, String> environment) {
    return ConfigParser.parse(json, environment);
  }

  /**
   * {@code error} from a check after parsing (a file a key names, a host it names), naming the {@code HOOKCAST_*}
   * variable of {@code environment} that set its key, when one did.
   */
  public static ConfigException namingItsVariable(ConfigException error, Map<String, String> environment) {
    return error.key() == null ? error
      : ConfigParser.namingItsVariable(error, EnvironmentOverrides.apply(new JsonObject(), environment).variables());
  }

  /** One warning per {@code HOOKCAST_*} variable that sets nothing and is a letter or two from one that would. */
  public static List<String> misspeltVariables(Map<String, String> environment) {
    return EnvironmentOverrides.misspeltVariables(environment);
  }

  public boolean runs(Role role) {
    return roles.contains(role);
  }

  /**
   * Held to on a clustered node, whichever way it was started (Hookcast's launcher, the stock one, an application's
   * own clustered Vert.x).
   *
   * @throws ConfigException when an async ingress would keep what it answers 202 in an embedded store, which dies with
   *                         its node while the cluster carries on
   */
  public void checkClustered() {
    if (hasAsyncRoutes() && runs(Role.INGRESS) && store.embedded()) {
      throw new ConfigException("store.url: a clustered node with an async route needs the shared PostgreSQL store "
        + "(store.url or HOOKCAST_STORE_URL); an embedded store would die with its node, and what it holds with it");
    }
  }

  /** Whether some route answers 202 and delivers from the store. */
  public boolean hasAsyncRoutes() {
    return routes.stream().anyMatch(route -> route.mode() == RouteConfig.Mode.ASYNC);
  }

  /**
   * The longest a webhook waits for its backends (their timeoutMs; a sync route) or the store (store.timeoutMs; an
   * async route) once received, what a graceful shutdown waits for, with the wait for a worker a large body may have
   * on top.
   */
  public long longestAnswerMs() {
    return hasAsyncRoutes() ? Math.max(longestTimeoutMs(), store.timeoutMs()) : longestTimeoutMs();
  }

  /** The longest backend timeoutMs. */
  public long longestTimeoutMs() {
    return backends.stream().mapToLong(BackendConfig::timeoutMs).max().orElse(0);
  }

  /**
   * This configuration with what a reload takes from {@code changed}: the delivery settings, backends and routes;
   * the rest (listeners, store, cluster, roles, …) only a restart changes.
   *
   * @throws ConfigException when the new backends or routes break a rule with the listeners or store still running
   *                         (a backend timeoutMs the running http.idleTimeoutMs cannot wait for), naming the key
   */
  public HookcastConfig reloadedFrom(HookcastConfig changed) {
    ConfigParser.checkAcrossSections(http, changed.backends, changed.routes, store);
    return new HookcastConfig(nodeName, roles, http, changed.delivery, changed.backends, changed.routes, store, admin, metrics,
      reload, demo, cluster, alerts, log, telemetry);
  }

  /** The same configuration with these backends, routes and alert receivers. */
  public HookcastConfig with(List<BackendConfig> backends, List<RouteConfig> routes, List<AlertConfig> alerts) {
    return new HookcastConfig(nodeName, roles, http, delivery, backends, routes, store, admin, metrics, reload, demo,
      cluster, alerts, log, telemetry);
  }
}
