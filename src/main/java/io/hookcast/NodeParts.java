package io.hookcast;

import io.hookcast.alert.Alerts;
import io.hookcast.bus.Codecs;
import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.ingress.IngressLimits;
import io.hookcast.ingress.RunningIngresses;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.recent.RecentSync;
import io.hookcast.schedule.BackendRates;
import io.hookcast.store.NodeStore;
import io.hookcast.telemetry.Tracing;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/**
 * What one node shares between its verticles, built once per Vert.x instance and handed to the verticles that need
 * it by their constructors: the meters, the recent sync webhooks, the ingress budget, the listening ingresses, the
 * running forwarders, the delivery store, the backends' current rates, the operational alerts and the traces. Building them
 * also registers the event-bus codecs, which a Vert.x instance takes once.
 *
 * <p>{@link #of} keeps the node's parts in the Vert.x instance's local shared data, the only such entry Hookcast
 * has, because a launcher leaves no other way: {@code -instances N} (and the stock launcher, which deploys
 * {@link HookcastVerticle} by class name) creates N node verticles with no common object to give them, so the
 * first to start builds the parts and the others find them there.
 */
public final class NodeParts implements Shareable {

  private static final String SHARED = "hookcast.node";

  private final HookcastMetrics metrics;
  private final RecentSync recent;
  private final IngressLimits ingressLimits;
  private final RunningIngresses ingresses;
  private final ForwarderRegistry forwarders;
  private final NodeStore store;
  private final BackendRates rates;
  private final Alerts alerts;
  private final Tracing tracing;

  private NodeParts(Vertx vertx, HookcastConfig config, Tracing tracing) {
    Codecs.register(vertx, config.nodeName(), config.http().maxBodyBytes());
    this.metrics = HookcastMetrics.create();
    this.recent = new RecentSync(config.admin().recentSync());
    this.ingressLimits = new IngressLimits(config.http());
    this.ingresses = new RunningIngresses();
    this.forwarders = new ForwarderRegistry();
    this.store = new NodeStore(vertx);
    this.rates = new BackendRates();
    this.alerts = new Alerts(vertx, config.alerts());
    this.tracing = tracing;
  }

  /**
   * The parts of {@code vertx}'s node, built from the first caller's {@code config}; later callers get the same.
   * Tracing, when the configuration turns it on, is started with them.
   */
  public static NodeParts of(Vertx vertx, HookcastConfig config) {
    return vertx.sharedData().<String, NodeParts>getLocalMap(SHARED).computeIfAbsent(SHARED,
      key -> new NodeParts(vertx, config, Tracing.start(config.telemetry(), config.nodeName())));
  }

  /** As {@link #of(Vertx, HookcastConfig)}, with the tracing the launcher started before Vert.x. */
  static NodeParts of(Vertx vertx, HookcastConfig config, Tracing tracing) {
    return vertx.sharedData().<String, NodeParts>getLocalMap(SHARED).computeIfAbsent(SHARED,
      key -> new NodeParts(vertx, config, tracing));
  }

  public HookcastMetrics metrics() {
    return metrics;
  }

  public RecentSync recent() {
    return recent;
  }

  /** The budget of webhooks in progress and body bytes held, shared by all the node's ingress instances. */
  public IngressLimits ingressLimits() {
    return ingressLimits;
  }

  /** The node's listening ingress instances: what SIGTERM drains. */
  public RunningIngresses ingresses() {
    return ingresses;
  }

  public ForwarderRegistry forwarders() {
    return forwarders;
  }

  /** Opened by the first instance that needs it, as the configuration it is given says; closed by the last one. */
  public NodeStore store() {
    return store;
  }

  /** Where the node's operational alerts go (alerts[]); a no-op without receivers. */
  public Alerts alerts() {
    return alerts;
  }

  /** Written by the scheduler (on whichever instance opened the store), read by every instance's operator API. */
  public BackendRates rates() {
    return rates;
  }

  /** The node's traces ({@link Tracing#OFF} unless telemetry is configured): one SDK for all its instances. */
  public Tracing tracing() {
    return tracing;
  }
}
