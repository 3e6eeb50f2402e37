package io.hookcast.metrics;

import io.hookcast.bus.DeliveryResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hookcast's own meters, exported by vertx-micrometer-metrics on the admin listener's {@code /metrics}.
 * Meters are resolved once per backend and status class, never looked up by tags per webhook. Without a
 * metrics backend (metrics off, or a Vert.x built without them) every meter is a no-op.
 */
public final class HookcastMetrics {

  /** Latency buckets from a fast local backend to the longest sensible deadline. */
  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
  private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  private static final String[] OUTCOMES = {"answered", "failed", "refused"};

  private final MeterRegistry registry;
  private final Map<String, BackendMeters> backends = new ConcurrentHashMap<>();
  private final Counter[] webhooks = new Counter[CLASSES.length];
  private final Timer webhookLatency;

  private HookcastMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (int i = 0; i < CLASSES.length; i++) {
      webhooks[i] = Counter.builder("hookcast.webhooks").description("Webhooks answered, by aggregated status class")
        .tag("status", CLASSES[i]).register(registry);
    }
    webhookLatency = Timer.builder("hookcast.webhook.duration").description("Time from a webhook's arrival to its answer")
      .serviceLevelObjectives(BUCKETS).register(registry);
  }

  /**
   * A node's metrics, on the Vert.x metrics backend, or no-op meters when there is none. One per node, shared by all
   * its verticles: a gauge is registered once, so its counter must be too.
   */
  public static HookcastMetrics create() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return new HookcastMetrics(registry != null ? registry : new CompositeMeterRegistry());
  }

  /** Whether meters reach a registry that can be scraped. */
  public static boolean enabled() {
    return BackendRegistries.getDefaultNow() != null;
  }

  public void webhookAnswered(int status, long startNanos) {
    webhooks[statusClass(status)].increment();
    webhookLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** A webhook refused because its signature did not verify: counted by route and short reason. */
  public void rejected(String route, String reason) {
    Counter.builder("hookcast.webhooks.rejected").description("Webhooks refused because their signature did not verify")
      .tags("route", route, "reason", reason).register(registry).increment();
  }

  public void delivered(String backend, DeliveryResult result) {
    BackendMeters meters = backends.computeIfAbsent(backend, BackendMeters::new);
    int outcome = result.error() == null ? 0 : result.outcome().attempted() ? 1 : 2;
    meters.deliveries[outcome][statusClass(result.status())].increment();
    if (result.attempts() > 0) {
      meters.latency.record(result.durationMs(), TimeUnit.MILLISECONDS);
    }
  }

  /** The count of deliveries running or waiting for {@code backend} that a forwarder keeps up to date. */
  public AtomicInteger inFlight(String backend) {
    return backends.computeIfAbsent(backend, BackendMeters::new).inFlight;
  }

  /** Deliveries finished by this node's forwarders, whichever node's ingress sent them. */
  public Counter forwarded(String backend) {
    return backends.computeIfAbsent(backend, BackendMeters::new).forwarded;
  }

  private static int statusClass(int status) {
    return Math.min(Math.max(status / 100, 1), 5) - 1;
  }

  private final class BackendMeters {
    final Counter[][] deliveries = new Counter[OUTCOMES.length][CLASSES.length];
    final Timer latency;
    final AtomicInteger inFlight = new AtomicInteger();
    final Counter forwarded;

    BackendMeters(String backend) {
      for (int o = 0; o < OUTCOMES.length; o++) {
        for (int c = 0; c < CLASSES.length; c++) {
          deliveries[o][c] = Counter.builder("hookcast.deliveries")
            .description("Sync deliveries to a backend: answered (any status), failed (no answer: 502/504) or refused"
              + " without contacting it (circuit open, overloaded or no forwarder: 503; no free slot before the deadline: 504)")
            .tags("backend", backend, "outcome", OUTCOMES[o], "status", CLASSES[c]).register(registry);
        }
      }
      latency = Timer.builder("hookcast.delivery.duration").description("Time for a backend's answer to a sync delivery, retries included")
        .tag("backend", backend).serviceLevelObjectives(BUCKETS).register(registry);
      forwarded = Counter.builder("hookcast.forwarded").description("Deliveries finished by this node's forwarders")
        .tag("backend", backend).register(registry);
      Gauge.builder("hookcast.deliveries.in.flight", inFlight, AtomicInteger::get)
        .description("Deliveries running or waiting on this node's forwarders").tag("backend", backend).register(registry);
    }
  }
}
