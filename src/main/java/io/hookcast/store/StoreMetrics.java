package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of asynchronous delivery: the store's latency, each backend's backlog, attempts by outcome, dead
 * deliveries and adaptive rates. Create one per node and hand it to the store and the scheduler.
 */
public final class StoreMetrics {

  private static final Duration[] BUCKETS = {
    Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
    Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  /** The store operations that are timed. */
  public enum Operation { ACCEPT, CLAIM, RECORD }

  private final MeterRegistry registry;
  private final Map<Operation, Timer> latency = new EnumMap<>(Operation.class);
  private final Map<String, BackendMeters> backends = new ConcurrentHashMap<>();
  private final Map<String, RateGauge> rates = new ConcurrentHashMap<>();

  /** A rate gauge and the bits of the {@code double} it shows. */
  private record RateGauge(AtomicLong bits, Gauge gauge) {
  }

  public StoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Operation operation : Operation.values()) {
      latency.put(operation, Timer.builder("hookcast.store.duration")
        .description("Store latency: accept = from submitting a message to its batch's commit")
        .tag("operation", operation.name().toLowerCase(java.util.Locale.ROOT)).serviceLevelObjectives(BUCKETS)
        .register(registry));
    }
  }

  /** On the registry of the Vert.x metrics backend, or no-op meters when metrics are off. */
  public static StoreMetrics create() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return new StoreMetrics(registry != null ? registry : new CompositeMeterRegistry());
  }

  public void timed(Operation operation, long startNanos) {
    latency.get(operation).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  public void attempt(String backend, AttemptOutcome outcome) {
    meters(backend).attempts.get(outcome).increment();
  }

  public void dead(String backend) {
    meters(backend).dead.increment();
  }

  /**
   * Updates the backlog gauges of {@code backends}, of every backend in {@code backlog} (one the configuration no longer
   * has may still have deliveries waiting for it) and of every backend that had a gauge; one absent from
   * {@code backlog} has none.
   */
  public void backlog(Collection<String> backends, List<Backlog> backlog, Instant now) {
    Set<String> shown = new HashSet<>(backends);
    shown.addAll(this.backends.keySet());
    backlog.forEach(found -> shown.add(found.backend()));
    for (String backend : shown) {
      BackendMeters meters = meters(backend);
      Backlog found = backlog.stream().filter(b -> b.backend().equals(backend)).findFirst().orElse(null);
      meters.pending.set(found == null ? 0 : found.deliveries());
      meters.oldestAgeMs.set(found == null ? 0 : Math.max(0, now.toEpochMilli() - found.oldestReceivedAt().toEpochMilli()));
    }
  }

  /** A rate-limited backend's delivery rate on this node, as it adapts; the gauge exists once a backend has a rate. */
  public void rate(String backend, double perSecond) {
    rates.computeIfAbsent(backend, name -> {
      AtomicLong bits = new AtomicLong();
      return new RateGauge(bits, Gauge.builder("hookcast.backend.rate.per.second", bits, value -> Double.longBitsToDouble(value.get()))
        .description("Deliveries per second this node allows a backend with backends[].rate, lowered when it pushes back")
        .tag("backend", name).register(registry));
    }).bits().set(Double.doubleToLongBits(perSecond));
  }

  /**
   * Keeps the rate gauges of {@code backends} only, a starting scheduler's that deliver with a rate: a backend a
   * reload removed, or whose rate it took away, no longer shows the last rate it had.
   */
  public void retainRates(Collection<String> backends) {
    rates.entrySet().removeIf(entry -> {
      if (backends.contains(entry.getKey())) {
        return false;
      }
      registry.remove(entry.getValue().gauge());
      return true;
    });
  }

  private BackendMeters meters(String backend) {
    return backends.computeIfAbsent(backend, BackendMeters::new);
  }

  private final class BackendMeters {
    final Map<AttemptOutcome, Counter> attempts = new EnumMap<>(AttemptOutcome.class);
    final Counter dead;
    final AtomicLong pending = new AtomicLong();
    final AtomicLong oldestAgeMs = new AtomicLong();

    BackendMeters(String backend) {
      for (AttemptOutcome outcome : AttemptOutcome.values()) {
        attempts.put(outcome, Counter.builder("hookcast.async.attempts").description("Attempts of asynchronous deliveries")
          .tags("backend", backend, "outcome", outcome.label()).register(registry));
      }
      dead = Counter.builder("hookcast.async.dead").description("Deliveries whose schedule ran out without a 2xx")
        .tag("backend", backend).register(registry);
      Gauge.builder("hookcast.async.pending", pending, AtomicLong::get)
        .description("Deliveries not yet delivered or dead (store-wide, refreshed every few seconds)")
        .tag("backend", backend).register(registry);
      Gauge.builder("hookcast.async.oldest.pending.age", oldestAgeMs, ms -> ms.get() / 1000.0).baseUnit("seconds")
        .description("Age of the oldest message with a delivery still pending").tag("backend", backend).register(registry);
    }
  }
}
