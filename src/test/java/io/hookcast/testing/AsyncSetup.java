package io.hookcast.testing;

import io.hookcast.alert.Alerts;
import io.hookcast.bus.Codecs;
import io.hookcast.config.AsyncDeliveryConfig;
import io.hookcast.config.HttpConfig;
import io.hookcast.config.RateConfig;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.CircuitBreakerConfig;
import io.hookcast.config.RetryConfig;
import io.hookcast.config.StoreConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.forward.ForwarderVerticle;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.store.StoreMetrics;
import io.hookcast.schedule.BackendRates;
import io.hookcast.schedule.DeliveryScheduler;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.NewMessage;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.telemetry.Tracing;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Backends, forwarders and schedulers of asynchronous delivery, built directly from config records for tests. */
public final class AsyncSetup {

  /** The default http.maxBodyBytes. */
  private static final long MAX_BODY_BYTES = 25L * 1024 * 1024;

  private AsyncSetup() {
  }

  /** An embedded store in {@code dir}/data, as a node with the default settings opens it. */
  public static Future<SqlDeliveryStore> embeddedStore(Vertx vertx, Path dir, StoreMetrics metrics) {
    return SqlDeliveryStore.open(vertx, new StoreConfig(dir.resolve("data"), null, null, null, 1, 5_000), metrics);
  }

  /** Undeploys every verticle first, so that no attempt is recorded on a closed store, then closes the store. */
  public static Future<Void> undeployThenClose(Vertx vertx, DeliveryStore store) {
    return Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList()).compose(v -> store.close());
  }

  /** A backend whose forwarder makes one request per delivery (the schedule does the retrying). */
  public static BackendConfig backend(String name, String url, long timeoutMs, int failureThreshold) {
    return backend(name, url, timeoutMs, failureThreshold, List.of(5_000L, 300_000L, 1_800_000L, 7_200_000L, 18_000_000L, 36_000_000L, 36_000_000L));
  }

  /** The same backend, limited to {@code rate} on async routes. */
  public static BackendConfig withRate(BackendConfig backend, RateConfig rate) {
    return new BackendConfig(backend.name(), backend.url(), backend.host(), backend.port(), backend.timeoutMs(),
      backend.maxConnections(), backend.maxInFlight(), backend.maxQueued(), backend.maxResponseBodyBytes(), backend.retry(),
      backend.circuitBreaker(), backend.asyncScheduleMs(), backend.sign(), rate);
  }

  private static BackendConfig backend(String name, String url, long timeoutMs, int failureThreshold, List<Long> scheduleMs) {
    URI uri = URI.create(url);
    return new BackendConfig(name, uri, uri.getHost(), uri.getPort(), timeoutMs, 8, 16, 64, 1024,
      new RetryConfig(1, 10, 10), new CircuitBreakerConfig(failureThreshold, 200), scheduleMs, null, null);
  }

  /** Registers the codecs (once per Vert.x), deploys a forwarder for {@code backend}, then a scheduler for it on {@code store}. */
  public static Future<String> deliver(Vertx vertx, DeliveryStore store, StoreMetrics metrics, String node,
                                       BackendConfig backend, List<Long> scheduleMs, long leaseMs) {
    return deliver(vertx, store, metrics, node, backend, scheduleMs, leaseMs, new BackendRates());
  }

  /** As above, the scheduler keeping its rates in {@code rates}, the node's. */
  public static Future<String> deliver(Vertx vertx, DeliveryStore store, StoreMetrics metrics, String node,
                                       BackendConfig backend, List<Long> scheduleMs, long leaseMs, BackendRates rates) {
    Codecs.register(vertx, node, 25L * 1024 * 1024);
    return reloaded(vertx, store, metrics, node, backend, scheduleMs, leaseMs, rates);
  }

  /** As {@link #deliver}, on a Vert.x where it ran before: a forwarder and a scheduler for a backend a reload changed. */
  public static Future<String> reloaded(Vertx vertx, DeliveryStore store, StoreMetrics metrics, String node,
                                        BackendConfig backend, List<Long> scheduleMs, long leaseMs, BackendRates rates) {
    return vertx.deployVerticle(new ForwarderVerticle(node, scheduled(backend, scheduleMs), new ForwarderRegistry(),
        HookcastMetrics.create(), new Alerts(vertx, List.of()), Tracing.OFF))
      .compose(forwarder -> schedule(vertx, store, metrics, node, backend, scheduleMs, leaseMs, rates));
  }

  /** Deploys a scheduler for {@code backend} alone, as a reload puts a new one in place: its forwarder runs already. */
  public static Future<String> schedule(Vertx vertx, DeliveryStore store, StoreMetrics metrics, String node,
                                        BackendConfig backend, List<Long> scheduleMs, long leaseMs, BackendRates rates) {
    return vertx.deployVerticle(new DeliveryScheduler(store, metrics, node, leaseMs, 5_000, List.of(scheduled(backend, scheduleMs)),
      rates, new Alerts(vertx, List.of()), MAX_BODY_BYTES));
  }

  /** {@code backend} with {@code scheduleMs}, making one request per delivery; its limits and rate as given. */
  private static BackendConfig scheduled(BackendConfig backend, List<Long> scheduleMs) {
    BackendConfig one = backend(backend.name(), backend.url().toString(), backend.timeoutMs(),
      backend.circuitBreaker().failureThreshold(), scheduleMs);
    return new BackendConfig(one.name(), one.url(), one.host(), one.port(), one.timeoutMs(), backend.maxConnections(),
      backend.maxInFlight(), backend.maxQueued(), one.maxResponseBodyBytes(), one.retry(), one.circuitBreaker(),
      one.asyncScheduleMs(), null, backend.rate());
  }

  public static NewMessage message(String body, String... backends) {
    return ordered(body, null, backends);
  }

  /** A message whose deliveries keep the order of acceptance among those with the same {@code orderKey}. */
  public static NewMessage ordered(String body, String orderKey, String... backends) {
    Instant now = Instant.now();
    return new NewMessage("/hooks", "POST", "/hooks/x?y=1", MultiMap.caseInsensitiveMultiMap().add("X-Test", body),
      Buffer.buffer(body), List.of(backends), null, now.minus(Duration.ofHours(24)), now, orderKey, null);
  }
}
