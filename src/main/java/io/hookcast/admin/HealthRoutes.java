package io.hookcast.admin;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.Role;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.ingress.RunningIngresses;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.store.DeliveryStore;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /health} (liveness: the event loop answers), {@code GET /ready} (configuration loaded, a forwarder
 * for every backend on this node, each backend's circuit state, the store answering) and {@code GET /metrics}
 * (Prometheus). No token: probes and scrapers do not carry one, and none of these shows a webhook.
 */
final class HealthRoutes {

  /** A store that takes longer than this to answer a query is as good as down for a sender waiting on a 202. */
  private static final long STORE_PING_TIMEOUT_MS = 2_000;
  private static final long STORE_CHECK_SLACK_MS = 1_000;

  private HealthRoutes() {
  }

  /**
   * @param store      the node's delivery store, whose reachability is part of readiness; {@code null} when it has none
   * @param forwarders the node's forwarders: one per backend makes it ready
   * @param ingresses  the node's ingress instances: not ready once SIGTERM has them draining
   */
  static void mount(Router router, Vertx vertx, Supplier<HookcastConfig> config, DeliveryStore store, ForwarderRegistry forwarders,
                    RunningIngresses ingresses) {
    HealthChecks liveness = HealthChecks.create(vertx).register("event-loop", promise -> promise.complete(Status.OK()));
    HealthChecks readiness = HealthChecks.create(vertx)
      .register("config", promise -> promise.complete(Status.OK(configSummary(config.get()))))
      .register("forwarders", promise -> promise.complete(forwarders(config.get(), forwarders)))
      .register("ingress", promise -> promise.complete(ingresses.draining()
        ? Status.KO(new JsonObject().put("error", "draining: SIGTERM received, new webhooks are refused")) : Status.OK()));
    if (store != null) {
      // Down when it cannot be queried, and also when it answers queries but accepts fail (a full disk, a read-only
      // replica): a sender sent here would only get 503s.
      // The check's own timeout (1 s by default) is longer than the ping's: a check that times out is reported as a
      // failed procedure, which the handler answers 500 rather than the 503 of a store that is down.
      StorePing storePing = new StorePing(store::ping, STORE_PING_TIMEOUT_MS);
      readiness.register("store", STORE_PING_TIMEOUT_MS + STORE_CHECK_SLACK_MS, promise -> storePing.answer()
        .onComplete(ping -> promise.tryComplete(!ping.succeeded()
          ? Status.KO(new JsonObject().put("error", "the delivery store does not answer"))
          : store.accepting() ? Status.OK()
          : Status.KO(new JsonObject().put("error", "the delivery store answers but accepts fail to commit")))));
    }
    router.get("/health").handler(HealthCheckHandler.createWithHealthChecks(liveness));
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness));
    if (HookcastMetrics.enabled()) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create());
    }
  }

  private static JsonObject configSummary(HookcastConfig config) {
    return new JsonObject()
      .put("node", config.nodeName())
      .put("roles", new JsonArray(config.roles().stream().map(Role::jsonName).sorted().toList()))
      .put("backends", new JsonArray(config.backends().stream().map(BackendConfig::name).toList()));
  }

  /** Ready when every configured backend has a forwarder here (if this node forwards); circuits are reported. */
  private static Status forwarders(HookcastConfig config, ForwarderRegistry registry) {
    Map<String, List<CircuitBreakerState>> circuits = registry.circuitsByBackend();
    JsonObject backends = new JsonObject();
    boolean ready = true;
    for (BackendConfig backend : config.backends()) {
      List<CircuitBreakerState> states = circuits.getOrDefault(backend.name(), List.of());
      if (config.runs(Role.FORWARDER) && states.isEmpty()) {
        ready = false;
      }
      backends.put(backend.name(), new JsonObject()
        .put("forwarders", states.size())
        .put("circuit", new JsonArray(states.stream().map(state -> state.name().toLowerCase(Locale.ROOT)).toList())));
    }
    JsonObject data = new JsonObject().put("backends", backends);
    return ready ? Status.OK(data) : Status.KO(data);
  }
}
