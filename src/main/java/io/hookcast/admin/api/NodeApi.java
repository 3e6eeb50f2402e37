package io.hookcast.admin.api;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.RouteConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.recent.RecentSync;
import io.hookcast.recent.SyncWebhook;
import io.hookcast.schedule.BackendRates;
import io.hookcast.store.ActivityCount;
import io.hookcast.store.Backlog;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStore;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** What this node sees: its recent sync webhooks, each backend's health and rate, and deliveries per minute. */
final class NodeApi {

  /** Listings of at most this many sync webhooks are built on the event loop: a few milliseconds. */
  private static final int INLINE_SYNC_LIMIT = 1_000;

  private final Supplier<HookcastConfig> config;
  private final DeliveryStore store;
  private final DeliveryOperations operations;
  private final RecentSync recent;
  private final ForwarderRegistry forwarders;
  private final BackendRates rates;

  /** @param store and {@code operations}: {@code null} on a node without a store */
  NodeApi(Supplier<HookcastConfig> config, DeliveryStore store, DeliveryOperations operations, RecentSync recent,
          ForwarderRegistry forwarders, BackendRates rates) {
    this.config = config;
    this.store = store;
    this.operations = operations;
    this.recent = recent;
    this.forwarders = forwarders;
    this.rates = rates;
  }

  void sync(RoutingContext context) {
    Arguments arguments = Arguments.of(context);
    String route = arguments.text("route");
    String backend = arguments.text("backend");
    int limit = arguments.number("limit");
    Redaction redaction = Redaction.of(config.get());
    if (Math.min(limit, recent.capacity()) <= INLINE_SYNC_LIMIT) {
      Replies.json(context, 200, syncListing(route, backend, limit, redaction));
      return;
    }
    // The ring may be read from any thread. Its largest listings take a second to build and encode, which the admin
    // listener's event loop, shared with ingress connections, must not spend.
    context.vertx().executeBlocking(() -> syncListing(route, backend, limit, redaction).toBuffer(), false).onComplete(built -> {
      if (built.succeeded()) {
        Replies.json(context, 200, built.result());
      } else {
        context.fail(built.cause());
      }
    });
  }

  private JsonObject syncListing(String route, String backend, int limit, Redaction redaction) {
    JsonArray webhooks = new JsonArray();
    for (SyncWebhook webhook : recent.newest(limit, found -> (route == null || route.equals(found.route()))
      && (backend == null || deliveredTo(found, backend)))) {
      webhooks.add(ApiJson.sync(webhook, redaction));
    }
    return new JsonObject().put("webhooks", webhooks).put("capacity", recent.capacity());
  }

  void backends(RoutingContext context) {
    Instant now = Instant.now();
    Instant firstMinute = Activity.firstMinute(now, 60);
    Future<List<Backlog>> backlog = store == null ? Future.succeededFuture(List.of()) : Replies.fromStore(store.backlog());
    Future<List<ActivityCount>> stored = activity(firstMinute);
    Replies.reply(context, Future.all(backlog, stored).map(both -> {
      Map<String, Backlog> pending = backlog.result().stream().collect(Collectors.toMap(Backlog::backend, Function.identity()));
      Map<String, Activity.Counts> lastHour = new Activity(firstMinute, 60, stored.result(), recent).perBackend();
      Map<String, List<CircuitBreakerState>> circuits = forwarders.circuitsByBackend();
      HookcastConfig running = config.get();
      JsonArray backends = new JsonArray();
      for (BackendConfig backend : running.backends()) {
        JsonObject health = health(backend.name(), modes(running, backend.name()),
          new JsonArray(circuits.getOrDefault(backend.name(), List.of()).stream()
            .map(state -> state.name().toLowerCase(Locale.ROOT)).toList()), pending.get(backend.name()), lastHour, now);
        BackendRates.Rate rate = rates.of(backend.name());
        // Until the scheduler of a reload that took the backend's rate away has started, its old lane's is still kept.
        if (rate != null && backend.rate() != null) {
          health.put("rate", rate(rate, now));
        }
        backends.add(health);
      }
      // Deliveries to a backend the configuration no longer has wait for it; shown, so that they are not forgotten.
      Set<String> configured = running.backends().stream().map(BackendConfig::name).collect(Collectors.toSet());
      for (Backlog waiting : backlog.result()) {
        if (waiting.deliveries() > 0 && !configured.contains(waiting.backend())) {
          backends.add(health(waiting.backend(), new JsonArray(), new JsonArray(), waiting, lastHour, now).put("configured", false));
        }
      }
      return new JsonObject().put("backends", backends);
    }), 200);
  }

  /** One backend's entry: what waits for it ({@code null}: nothing), and its last hour. */
  private static JsonObject health(String name, JsonArray modes, JsonArray circuits, Backlog waiting,
                                   Map<String, Activity.Counts> lastHour, Instant now) {
    Activity.Counts hour = lastHour.getOrDefault(name, new Activity.Counts(0, 0));
    return new JsonObject()
      .put("name", name)
      .put("mode", modes)
      .put("circuit", circuits)
      .put("pending", waiting == null ? 0 : waiting.deliveries())
      .put("oldestPendingAgeMs", waiting == null || waiting.oldestReceivedAt() == null ? null
        : Math.max(0, now.toEpochMilli() - waiting.oldestReceivedAt().toEpochMilli()))
      .put("lastHour", new JsonObject().put("delivered", hour.delivered()).put("failed", hour.failed())
        .put("successRate", hour.successRate()));
  }

  void activity(RoutingContext context) {
    int minutes = Arguments.of(context).number("minutes");
    Instant firstMinute = Activity.firstMinute(Instant.now(), minutes);
    Replies.reply(context, activity(firstMinute).map(stored -> {
      Activity.Counts[] counts = new Activity(firstMinute, minutes, stored, recent).perMinute();
      JsonArray perMinute = new JsonArray();
      for (int i = 0; i < counts.length; i++) {
        perMinute.add(new JsonObject()
          .put("minute", ApiJson.iso(firstMinute.plusMillis(i * Activity.MINUTE_MS)))
          .put("delivered", counts[i].delivered())
          .put("failed", counts[i].failed()));
      }
      return new JsonObject().put("minutes", perMinute);
    }), 200);
  }

  private Future<List<ActivityCount>> activity(Instant since) {
    return operations == null ? Future.succeededFuture(List.of()) : Replies.fromStore(operations.activity(since));
  }

  private static boolean deliveredTo(SyncWebhook webhook, String backend) {
    int i = webhook.backends().indexOf(backend);
    return i >= 0 && webhook.deliveries().get(i) != null;
  }

  /**
   * The rate as this node's scheduler runs it: a reload shows once the new scheduler has started. One decimal,
   * because a halved or slow rate is fractional and more digits would only be noise on the card.
   */
  private static JsonObject rate(BackendRates.Rate rate, Instant now) {
    JsonObject json = new JsonObject()
      .put("perSecond", rate.perSecond())
      .put("current", Math.round(rate.current() * 10) / 10.0)
      .put("reason", rate.reason());
    if (rate.pausedAt(now)) {
      json.put("pausedUntil", ApiJson.iso(rate.pausedUntil()));
    }
    return json;
  }

  /** "sync" and/or "async": how the routes that list the backend deliver to it. */
  private static JsonArray modes(HookcastConfig config, String backend) {
    TreeSet<String> modes = new TreeSet<>();
    for (RouteConfig route : config.routes()) {
      if (route.backends().contains(backend)) {
        modes.add(route.mode().name().toLowerCase(Locale.ROOT));
      }
    }
    return new JsonArray(List.copyOf(modes));
  }
}
