package io.hookcast;

import io.hookcast.admin.AdminVerticle;
import io.hookcast.bus.Addresses;
import io.hookcast.cluster.BackendAgreement;
import io.hookcast.cluster.IngressRoutes;
import io.hookcast.cluster.UnroutedWait;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.ConfigException;
import io.hookcast.config.DemoConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.Role;
import io.hookcast.demo.DemoBackendVerticle;
import io.hookcast.forward.ForwarderVerticle;
import io.hookcast.secrets.Secrets;
import io.hookcast.ingress.IngressVerticle;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.StoreOpenException;
import io.hookcast.tls.TlsFiles;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Assembles one Hookcast node by its roles: demo backends (if configured), one forwarder per backend, the ingress
 * (once local forwarders can take webhooks) and the admin listener. Deployed once per {@code -instances}.
 * Applies new configurations published by the config watcher without dropping a webhook.
 */
public final class HookcastVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HookcastVerticle.class);

  /** Parts of the configuration that a running node cannot change: its listeners, identity and cluster. */
  private static final Map<String, Function<HookcastConfig, Object>> RESTART_ONLY = Map.ofEntries(
    Map.entry("http", HookcastConfig::http), Map.entry("admin", HookcastConfig::admin), Map.entry("metrics", HookcastConfig::metrics),
    Map.entry("roles", HookcastConfig::roles), Map.entry("cluster", HookcastConfig::cluster), Map.entry("demo", HookcastConfig::demo),
    Map.entry("nodeName", HookcastConfig::nodeName), Map.entry("reload", HookcastConfig::reload), Map.entry("store", HookcastConfig::store),
    Map.entry("alerts", HookcastConfig::alerts), Map.entry("log", HookcastConfig::log),
    Map.entry("telemetry", HookcastConfig::telemetry));

  private record Forwarder(BackendConfig backend, ForwarderVerticle verticle, String deploymentId) {
  }

  private final boolean ownsProcess;
  /** What the ingress listener waits for before it opens. */
  private final Future<Void> ingressMayOpen;
  private final List<Forwarder> forwarders = new ArrayList<>();
  /**
   * Forwarders a reload retired, still waiting for the webhooks routed to them, each with its retirement: a reload back
   * to them revives them, and a later reload that retires them again waits for its own webhooks, not the first's.
   */
  private final Map<Forwarder, Object> retiring = new LinkedHashMap<>();
  private volatile HookcastConfig running;
  private NodeParts parts;
  private IngressVerticle ingress;
  /** What the ingress routes to, as the cluster's other nodes see it; {@code null} without an ingress or a cluster. */
  private IngressRoutes routes;
  private AdminVerticle admin;
  private DurableDelivery durable;
  private Future<Void> reloading = Future.succeededFuture();

  /**
   * As a launcher deploys it by class name ({@code java -jar}, or the stock {@code VertxApplication} launcher): the
   * node is the process, so an invalid configuration ends the process with one line and exit 2.
   */
  public HookcastVerticle() {
    this(true, Future.succeededFuture());
  }

  private HookcastVerticle(boolean ownsProcess, Future<Void> ingressMayOpen) {
    this.ownsProcess = ownsProcess;
    this.ingressMayOpen = ingressMayOpen;
  }

  /**
   * For an application that deploys a node beside its own verticles (docs/operations.md): an invalid configuration
   * fails the deployment instead of ending the process.
   */
  public static HookcastVerticle embedded() {
    return new HookcastVerticle(false, Future.succeededFuture());
  }

  /** As {@link #HookcastVerticle()}, with the ingress listener opened only once {@code ingressMayOpen} has completed. */
  static HookcastVerticle openingAfter(Future<Void> ingressMayOpen) {
    return new HookcastVerticle(true, ingressMayOpen);
  }

  @Override
  public Future<?> start() {
    if (config().isEmpty()) {
      // What the stock launcher deploys with when -conf is missing, unreadable or not JSON (it only warns).
      return failedToStart(new ConfigException("no configuration: -conf must name a readable JSON file or be a JSON object"));
    }
    JsonObject json = config();
    // Secret and PEM files are read from disk: on a worker thread, not this verticle's event loop.
    return vertx.executeBlocking(() -> {
        HookcastConfig parsed = Secrets.load(HookcastConfig.fromJson(json), System.getenv());
        TlsFiles.check(parsed);
        return parsed;
      })
      .transform(parsed -> parsed.succeeded() ? startWith(parsed.result()) : failedToStart(parsed.cause()));
  }

  private Future<Void> startWith(HookcastConfig config) {
    running = config;
    try {
      if (vertx.isClustered()) {
        running.checkClustered();
      }
      // Under the stock launcher the parts are first built here, and tracing with them: it refuses OTEL_* variables
      // it cannot use.
      parts = NodeParts.of(vertx, running);
    } catch (ConfigException invalid) {
      return failedToStart(invalid);
    }
    vertx.eventBus().<HookcastConfig>localConsumer(Addresses.CONFIG_CHANGED, message -> {
      HookcastConfig next = message.body();
      reloading = reloading.compose(v -> apply(next));
    });
    return deployDemo(running.demo())
      .compose(v -> BackendAgreement.check(vertx, running.nodeName(), running.backends()))
      .compose(v -> startForwarders(running.runs(Role.FORWARDER) ? running.backends() : List.of()))
      .compose(v -> DurableDelivery.start(vertx, running, parts.store(), parts.rates(), parts.alerts()))
      .compose(started -> {
        durable = started;
        if (!running.runs(Role.INGRESS)) {
          return Future.succeededFuture();
        }
        ingress = new IngressVerticle(running, store(), parts.metrics(), parts.recent(), parts.ingressLimits(),
          parts.ingresses(), parts.tracing());
        // Back on this verticle's context, so that the ingress is deployed as its child and its routes are listed
        // from the context their later changes come from.
        return Future.fromCompletionStage(ingressMayOpen.toCompletionStage(), context)
          .compose(v -> listRoutes())
          .compose(v -> vertx.deployVerticle(ingress));
      })
      .compose(v -> {
        admin = new AdminVerticle(() -> running, store(), durable == null ? null : durable.operations(), parts.recent(),
          parts.forwarders(), parts.ingresses(), parts.rates());
        return vertx.deployVerticle(admin);
      })
      .recover(failure -> unlistRoutes().transform(v -> stopDurable()).transform(stopped -> failedToStart(failure)))
      .mapEmpty();
  }

  /**
   * On a clustered node, before the ingress opens: the forwarders of other nodes keep the settings it routes to. A
   * map that cannot be written costs only that, so the node starts all the same.
   */
  private Future<Void> listRoutes() {
    if (!vertx.isClustered()) {
      return Future.succeededFuture();
    }
    return IngressRoutes.start(vertx, context, running.nodeName(), running.backends())
      .onSuccess(started -> routes = started)
      .<Void>mapEmpty()
      .recover(failure -> {
        LOG.warn("could not tell the cluster which backend settings this node's ingress routes to (" + failure.getMessage()
          + "); forwarders of settings it uses may retire on other nodes when they reload first");
        return Future.succeededFuture();
      });
  }

  private Future<Void> unlistRoutes() {
    return routes == null ? Future.succeededFuture() : routes.stop();
  }

  /**
   * A fault in the configuration, found in parsing or by a part as it starts (a TLS key that is not its certificate's,
   * a store that cannot be opened), ends the process in one line naming the key; a store whose server cannot be
   * reached, or whose directory a process still stopping holds, is no such fault, and fails the start as a port in
   * use does, so that a supervisor starts it again.
   */
  private <T> Future<T> failedToStart(Throwable failure) {
    ConfigException invalid = failure instanceof ConfigException config ? HookcastConfig.namingItsVariable(config, System.getenv())
      : failure instanceof StoreOpenException unopened && !unopened.temporary() ? new ConfigException(unopened.getMessage())
      : null;
    if (invalid != null && ownsProcess) {
      InvalidConfigExit.fromEventLoop(invalid);
      // Never completed: a failed deployment makes the stock launcher print it as a stack trace and exit 15.
      return Promise.<T>promise().future();
    }
    return Future.failedFuture(failure);
  }

  /** What this instance runs now: the configuration it started with, and what reloads have applied since. */
  HookcastConfig running() {
    return running;
  }

  /** SIGTERM: this instance's scheduler, if it has one, starts no more attempts (see {@link DurableDelivery#stopScheduling}). */
  Future<Void> stopScheduling() {
    Promise<Void> stopped = Promise.promise();
    context.runOnContext(v -> (durable == null ? Future.<Void>succeededFuture() : durable.stopScheduling()).onComplete(stopped));
    return stopped.future();
  }

  /** The ingress and the scheduler have been undeployed by now (children go first), so no one uses the store. */
  @Override
  public Future<?> stop() {
    return unlistRoutes().transform(unlisted -> durable == null ? Future.succeededFuture() : durable.stop());
  }

  /**
   * After a start that failed past the store's opening (a port in use, say): Vert.x calls no {@link #stop} then, and
   * a store kept open would make the next deployment on this Vert.x take itself for a second instance, and run no
   * scheduler.
   */
  private Future<Void> stopDurable() {
    return durable == null ? Future.succeededFuture() : durable.stopScheduling().eventually(durable::stop);
  }

  private DeliveryStore store() {
    return durable == null ? null : durable.store();
  }

  /** The ingress port actually bound. */
  public int httpPort() {
    return ingress.actualPort();
  }

  /** The admin port actually bound. */
  public int adminPort() {
    return admin.actualPort();
  }

  /**
   * Starts forwarders for new and changed backends, then points the ingress at the new list, then, once the
   * webhooks routed to the old list are answered, lets the forwarders of removed and changed backends finish what
   * they have and go: no webhook meets a backend without a forwarder, none in progress is cut off. A changed
   * backend is a new event-bus address ({@link Addresses#forwarders}), so once the ingress has switched, no new
   * webhook can reach a forwarder of the old settings, and retiring those takes nothing from anyone.
   */
  private Future<Void> apply(HookcastConfig changed) {
    HookcastConfig previous = running;
    if (changed.hasAsyncRoutes() && running.runs(Role.INGRESS) && durable == null) {
      LOG.warn("configuration reload refused: an async route needs the delivery store, which is opened at "
        + "start only when some route is async; restart Hookcast to add the first async route");
      return Future.succeededFuture();
    }
    HookcastConfig next;
    try {
      next = previous.reloadedFrom(changed);
    } catch (ConfigException invalid) {
      LOG.warn("configuration reload refused, the running configuration is kept: with the listeners and store this node"
        + " runs (they change only with a restart), " + invalid.getMessage());
      return Future.succeededFuture();
    }
    boolean applies = !next.equals(previous);
    warnAboutRestartOnlyChanges(previous, changed, applies);
    Set<BackendConfig> wanted = Set.copyOf(next.backends());
    // Back to settings a reload is retiring (a reload undone): the same address, so their forwarders are kept rather
    // than joined by new ones, which would double the backend's connections while they wait.
    List<Forwarder> revived = retiring.keySet().stream().filter(forwarder -> wanted.contains(forwarder.backend())).toList();
    revived.forEach(retiring::remove);
    forwarders.addAll(revived);
    Set<BackendConfig> deployed = forwarders.stream().map(Forwarder::backend).collect(Collectors.toSet());
    // A node without the forwarder role starts none: the reload's line then names none as started.
    List<BackendConfig> toStart = !running.runs(Role.FORWARDER) ? List.of()
      : next.backends().stream().filter(backend -> !deployed.contains(backend)).toList();
    List<Forwarder> toStop = forwarders.stream().filter(forwarder -> !wanted.contains(forwarder.backend())).toList();
    return BackendAgreement.announce(vertx, next.backends())
      .compose(v -> startForwarders(toStart))
      .compose(v -> {
        running = next;
        return ingress != null ? ingress.update(next) : Future.succeededFuture(Future.<Void>succeededFuture());
      })
      // The scheduler before the old forwarders: its lanes send to them until it is replaced, so that they would not
      // go quiet and retire until their longest wait, and a hand-off sent as one retired would be lost to its timeout.
      .compose(routedBefore -> (durable == null ? Future.<Void>succeededFuture() : durable.schedule(next)).map(routedBefore))
      .onSuccess(routedBefore -> {
        // On a clustered node the retiring waits for the cluster's list of routes, this node's entry in it included.
        retire(toStop, routes == null ? routedBefore : routes.switched(next.backends(), routedBefore), next);
        LOG.info(!applies ? "configuration reloaded: nothing a reload applies has changed"
          : "configuration reloaded: backends " + next.backends().stream().map(BackendConfig::name).toList()
          + " (started " + toStart.stream().map(BackendConfig::name).toList()
          + ", retiring " + toStop.stream().map(f -> f.backend().name()).toList() + ")");
      })
      .<Void>mapEmpty()
      .recover(failure -> {
        LOG.warn("configuration reload failed: " + failure.getMessage());
        return Future.succeededFuture();
      });
  }

  /** Called with none on a node without the forwarder role. */
  private Future<Void> startForwarders(List<BackendConfig> backends) {
    List<Future<String>> deployed = new ArrayList<>();
    for (BackendConfig backend : backends) {
      ForwarderVerticle forwarder = new ForwarderVerticle(running.nodeName(), backend, parts.forwarders(), parts.metrics(),
        parts.alerts(), parts.tracing());
      deployed.add(vertx.deployVerticle(forwarder).onSuccess(id -> forwarders.add(new Forwarder(backend, forwarder, id))));
    }
    return Future.all(deployed).mapEmpty();
  }

  /**
   * Undeploys forwarders the ingress no longer hands to, once the webhooks it routed to them before it switched have
   * been answered: their quick retries still go to these. On a clustered node, also once no other node's ingress
   * routes to them either ({@link UnroutedWait}). Off the reload's way, so that a reload right after this one
   * (correcting it, say) is not held up by a slow backend's webhooks; kept among the retiring meanwhile, from which a
   * reload back to these settings takes them back.
   */
  private void retire(List<Forwarder> retired, Future<Void> routedBefore, HookcastConfig next) {
    forwarders.removeAll(retired);
    Object retirement = new Object();
    retired.forEach(forwarder -> retiring.put(forwarder, retirement));
    Set<String> kept = next.backends().stream().map(BackendConfig::name).collect(Collectors.toSet());
    // Completed on the ingress's event loop; the lists are this verticle's.
    routedBefore.onComplete(answered -> context.runOnContext(v -> retired.forEach(forwarder -> unrouted(forwarder, retirement)
      .onComplete(done -> undeploy(forwarder, retirement, kept.contains(forwarder.backend().name()))))));
  }

  /**
   * Unless a later reload revived the forwarder (and perhaps retired it again, then waiting for its own webhooks), or
   * it was undeployed with the node meanwhile.
   */
  private void undeploy(Forwarder forwarder, Object retirement, boolean backendKept) {
    if (retiring.remove(forwarder, retirement) && stillDeployed(forwarder)) {
      forwarder.verticle().retire(backendKept
        ? "a configuration reload changed its settings, and its forwarder for them starts with the circuit closed"
        : "a configuration reload removed the backend");
      vertx.undeploy(forwarder.deploymentId()).onFailure(failure -> LOG.warn("retiring the forwarder of backend '"
        + forwarder.backend().name() + "' failed: " + failure.getMessage()));
    }
  }

  /** Called on this verticle's context; without a cluster, no other node can route to the forwarder. */
  private Future<Void> unrouted(Forwarder forwarder, Object retirement) {
    return !vertx.isClustered() ? Future.succeededFuture()
      : UnroutedWait.of(vertx, forwarder.backend(), () -> retiring.get(forwarder) == retirement && stillDeployed(forwarder));
  }

  private boolean stillDeployed(Forwarder forwarder) {
    return vertx.deploymentIDs().contains(forwarder.deploymentId());
  }

  /** @param applies whether the reload changes anything else, which is applied now */
  private static void warnAboutRestartOnlyChanges(HookcastConfig previous, HookcastConfig next, boolean applies) {
    List<String> changed = RESTART_ONLY.entrySet().stream()
      .filter(section -> !Objects.equals(section.getValue().apply(previous), section.getValue().apply(next)))
      .map(Map.Entry::getKey)
      .sorted()
      .toList();
    if (!changed.isEmpty()) {
      LOG.warn("configuration changes to " + changed + " take effect at the next restart; "
        + (applies ? "backends and delivery settings are applied now" : "nothing else changed"));
    }
  }

  private Future<Void> deployDemo(DemoConfig demo) {
    List<Future<String>> deployed = new ArrayList<>();
    for (DemoConfig.DemoBackend backend : demo.backends()) {
      deployed.add(vertx.deployVerticle(new DemoBackendVerticle(backend.name(), demo.host(), backend.port())));
    }
    return Future.all(deployed).mapEmpty();
  }
}
