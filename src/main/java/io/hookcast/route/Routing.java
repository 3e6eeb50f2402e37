package io.hookcast.route;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.RouteConfig;
import io.hookcast.config.StoreConfig;
import io.hookcast.work.BodyWork;
import io.hookcast.fanout.FanOut;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.recent.RecentSync;
import io.hookcast.route.body.BodyReader;
import io.hookcast.route.body.BodyScanner;
import io.hookcast.route.filter.DeliveryFilter;
import io.hookcast.store.DeliveryStore;
import io.hookcast.telemetry.Tracing;
import io.hookcast.verify.SignatureVerifier;
import io.vertx.core.Vertx;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The routes of one configuration, each with what handles its webhooks. Immutable: a reload builds a new one and
 * the ingress swaps it in.
 */
public final class Routing {

  private final RouteTable table;
  private final List<String> methods;
  /**
   * By identity: the table hands back the very objects the matches were put under, and a record's own hashCode
   * would hash every part of the route (backends, verification, conditions) for every webhook.
   */
  private final Map<RouteConfig, RouteMatch.Found> found = new IdentityHashMap<>();

  /**
   * @param inbox  where the forwarders send the results of sync routes' webhooks; its event loop is the caller's
   * @param store  where async routes keep their messages; {@code null} when the configuration has none
   * @param recent where sync routes leave what they did, for the operator API
   * @param tracing the node's traces: when on, each route's webhooks are traced
   * @param bodyWork where signatures are checked, bodies digested and their values read, off the event loop when large
   */
  public Routing(HookcastConfig config, Vertx vertx, ReplyInbox inbox, DeliveryStore store, HookcastMetrics metrics,
                 RecentSync recent, Tracing tracing, BodyWork bodyWork) {
    this.table = new RouteTable(config.routes());
    long maxBodyBytes = config.http().maxBodyBytes();
    // Larger, a body would be refused by the store at every retry: 503s for a webhook that can never be kept.
    BodyLimit asyncBodies = maxBodyBytes <= StoreConfig.MAX_BODY_BYTES ? new BodyLimit(maxBodyBytes, "http.maxBodyBytes", 1)
      : new BodyLimit(StoreConfig.MAX_BODY_BYTES, "the most an async route stores of a body", 1);
    this.methods = config.routes().stream().flatMap(route -> route.methods().stream()).distinct().toList();
    Map<String, BackendConfig> backends = config.backends().stream()
      .collect(Collectors.toMap(BackendConfig::name, Function.identity()));
    for (RouteConfig route : config.routes()) {
      DeliveryFilter filter = route.deliver().isEmpty() ? DeliveryFilter.NONE : new DeliveryFilter(route.deliver());
      // One pass over a body serves the conditions and the order key alike.
      BodyReader body = new BodyReader(bodyWork, new BodyScanner(filter.pointers(), route.order() == null ? null : route.order().json()));
      RouteHandler handler = switch (route.mode()) {
        case SYNC -> {
          List<BackendConfig> routeBackends = route.backends().stream().map(backends::get).toList();
          yield new SyncRoute(route.path(), new FanOut(vertx, inbox, routeBackends), filter, body, config.http().answerDetail(), metrics,
            recent, route.primary());
        }
        case ASYNC -> {
          if (store == null) {
            throw new IllegalStateException("route " + route.path() + " is asynchronous but this node has no store open");
          }
          yield new AsyncRoute(route, store, filter, body, tracing, bodyWork);
        }
      };
      RouteHandler verified = route.verify() == null ? handler
        : new VerifiedRoute(route.path(), SignatureVerifier.forConfig(route.verify()), handler, metrics, bodyWork);
      RouteHandler traced = tracing.enabled() ? new TracedRoute(tracing, route.path(), route.mode(), verified) : verified;
      BodyLimit bodies = route.mode() == RouteConfig.Mode.ASYNC ? asyncBodies
        : new BodyLimit(maxBodyBytes, "http.maxBodyBytes", vertx.isClustered() ? 1 + route.backends().size() : 1);
      found.put(route, new RouteMatch.Found(traced, route.methods(), bodies));
    }
  }

  /** The methods some route takes. */
  public List<String> methods() {
    return methods;
  }

  /** The route that takes {@code path}, if one does and a backend could not take it for another one's. */
  public RouteMatch match(String path) {
    RouteConfig route = table.match(path);
    RouteConfig asBackendsMay = table.matchAsBackendsMay(path);
    if (asBackendsMay != route) {
      return new RouteMatch.Ambiguous(asBackendsMay.path(), RouteTable.coversIgnoringCase(asBackendsMay.path(), path));
    }
    return route == null ? new RouteMatch.None() : found.get(route);
  }
}
