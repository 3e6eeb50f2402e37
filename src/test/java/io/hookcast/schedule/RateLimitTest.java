package io.hookcast.schedule;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.RateConfig;
import io.hookcast.forward.OutcomeClassifier;
import io.hookcast.store.StoreMetrics;
import io.hookcast.store.Accepted;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.DeliverySummary;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** backends[].rate and Hookcast-Delivery: abort, on the embedded store, through real forwarders to real HTTP backends. */
@ExtendWith(VertxExtension.class)
class RateLimitTest {

  private static final List<Long> QUICK_RETRIES = List.of(100L, 100L, 100L, 100L, 100L);

  @TempDir
  Path dir;
  private SqlDeliveryStore store;
  private SimpleMeterRegistry registry;
  private StoreMetrics metrics;
  /** Arrival times at the backend, in ms from the first. */
  private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
  private LogCapture log;
  private long firstArrival;

  @BeforeEach
  void openStore(Vertx vertx, VertxTestContext context) {
    log = LogCapture.of(DeliveryScheduler.class);
    registry = new SimpleMeterRegistry();
    metrics = new StoreMetrics(registry);
    AsyncSetup.embeddedStore(vertx, dir, metrics).onComplete(context.succeeding(opened -> {
      store = opened;
      context.completeNow();
    }));
  }

  @AfterEach
  void closeStore(Vertx vertx, VertxTestContext context) {
    log.close();
    AsyncSetup.undeployThenClose(vertx, store).onComplete(context.succeedingThenComplete());
  }

  @Test
  void aBackendLimitedTo20PerSecondNeverGetsMoreThanItsRateAndBurstInAnySecond(Vertx vertx, VertxTestContext context) {
    int messages = 100;
    backend(vertx, (request, body) -> request.response().end("ok"))
      .compose(backend -> deliver(vertx, backend, new RateConfig(20, 5, 0)))
      .compose(v -> acceptAll(messages))
      .compose(v -> until(vertx, () -> arrivals.size() >= messages))
      .compose(v -> vertx.timer(300))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        List<Long> times = new ArrayList<>(arrivals);
        assertEquals(messages, times.size(), "each delivered once");
        assertTrue(mostInAnySecond(times) <= 20 + 5, "at most 20/s plus the burst of 5 in any second: " + mostInAnySecond(times));
        // 100 at 20/s after a burst of 5 take at least 95 / 20 s.
        assertTrue(times.get(times.size() - 1) >= 4_500, "all 100 arrived within " + times.get(times.size() - 1) + " ms");
        assertEquals(20.0, registry.get("hookcast.backend.rate.per.second").tag("backend", "ci").gauge().value());
        context.completeNow();
      })));
  }

  @Test
  void a429WithRetryAfterPausesTheBackendHalvesItsRateThenTheRateClimbsBack(Vertx vertx, VertxTestContext context) {
    int messages = 150;
    AtomicInteger answered = new AtomicInteger();
    List<Double> rates = new CopyOnWriteArrayList<>();
    backend(vertx, (request, body) -> {
      if (answered.incrementAndGet() <= 3) {
        request.response().setStatusCode(429).putHeader("Retry-After", "2").end("slow down");
      } else {
        request.response().end("ok");
      }
    })
      .compose(backend -> deliver(vertx, backend, new RateConfig(50, 5, 0)))
      .compose(v -> acceptAll(messages))
      .compose(v -> {
        long sampler = vertx.setPeriodic(50, id -> rates.add(rate()));
        return until(vertx, () -> arrivals.size() >= messages + 3).eventually(() -> {
          vertx.cancelTimer(sampler);
          return Future.succeededFuture();
        });
      })
      .compose(v -> vertx.timer(300))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        List<Long> times = new ArrayList<>(arrivals);
        // The burst of 5 goes at once; the first 429 pauses the backend for 2 s.
        List<Long> duringThePause = times.stream().filter(t -> t > 300 && t < 1_900).toList();
        assertEquals(List.of(), duringThePause, "requests while the backend asked for 2 s of quiet: " + times);
        assertTrue(times.stream().anyMatch(t -> t >= 1_900 && t < 3_000), "deliveries resumed after the pause: " + times);
        assertEquals(messages + 3, times.size(), "every message delivered once, the three refused ones again");
        assertTrue(rates.stream().anyMatch(r -> r < 50), "the rate went down: " + rates);
        assertEquals(50.0, rate(), "and climbed back to the configured rate");
        assertTrue(log.lines().stream().anyMatch(line -> line.contains("async deliveries to 'ci' on node node-a: rate lowered to 25/s,"
          + " paused for 2000 ms: it answered 429 with Retry-After")), "log: " + log.lines());
        assertTrue(log.lines().stream().anyMatch(line -> line.endsWith("back to the configured 50/s")), "log: " + log.lines());
        context.completeNow();
      })));
  }

  @Test
  void aSchedulerThatAReloadPutsInPlaceTakesTheLoweredRateUpWhereItWas(Vertx vertx, VertxTestContext context) {
    BackendRates rates = new BackendRates();
    List<BackendConfig> limited = new ArrayList<>();
    backend(vertx, (request, body) -> request.response().setStatusCode(429).end("slow down"))
      .compose(backend -> {
        limited.add(AsyncSetup.withRate(AsyncSetup.backend("ci", backend.url(), 5_000, 100), new RateConfig(50, 5, 0)));
        return AsyncSetup.deliver(vertx, store, metrics, "node-a", limited.get(0), QUICK_RETRIES, 60_000, rates);
      })
      .compose(first -> store.accept(AsyncSetup.message("pushed back", "ci"))
        .compose(accepted -> until(vertx, () -> rates.of("ci").current() < 50))
        .compose(v -> vertx.undeploy(first)))
      .compose(v -> AsyncSetup.schedule(vertx, store, metrics, "node-a", limited.get(0), QUICK_RETRIES, 60_000, rates))
      .onComplete(context.succeeding(second -> context.verify(() -> {
        assertTrue(rate() < 50, "the new scheduler's lane starts at the lowered rate, not at 50/s: " + rate());
        assertTrue(rates.of("ci").current() < 50, "and shows it to the operator API: " + rates.of("ci"));
        assertEquals("it answered 429", rates.of("ci").reason());
        context.completeNow();
      })));
  }

  @Test
  void aReloadThatTakesABackendsRateAwayRemovesItsRateGauge(Vertx vertx, VertxTestContext context) {
    BackendRates rates = new BackendRates();
    List<BackendConfig> configs = new ArrayList<>();
    backend(vertx, (request, body) -> request.response().end("ok"))
      .compose(backend -> {
        configs.add(AsyncSetup.backend("ci", backend.url(), 5_000, 100));
        return AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.withRate(configs.get(0), new RateConfig(50, 5, 0)),
          QUICK_RETRIES, 60_000, rates);
      })
      .compose(first -> {
        assertEquals(50.0, rate(), "the rated lane shows its rate");
        return vertx.undeploy(first);
      })
      .compose(v -> AsyncSetup.schedule(vertx, store, metrics, "node-a", configs.get(0), QUICK_RETRIES, 60_000, rates))
      .onComplete(context.succeeding(second -> context.verify(() -> {
        assertNull(registry.find("hookcast.backend.rate.per.second").tag("backend", "ci").gauge(),
          "a backend without a rate shows none, not the rate it had before the reload");
        assertNull(rates.of("ci"), "nor does the operator API");
        context.completeNow();
      })));
  }

  @Test
  void aBackendThatAnswersHookcastDeliveryAbortGetsOneAttemptAndTheDeliveryIsCancelledSayingWhy(Vertx vertx,
                                                                                                VertxTestContext context) {
    backend(vertx, (request, body) -> request.response().setStatusCode(422)
      .putHeader(OutcomeClassifier.DELIVERY_HEADER, OutcomeClassifier.ABORT).end("never again"))
      .compose(backend -> deliver(vertx, backend, null))
      .compose(v -> store.accept(AsyncSetup.message("poison", "ci")))
      .compose(accepted -> until(vertx, () -> !arrivals.isEmpty())
        .compose(v -> vertx.timer(1_000))
        .compose(v -> store.operations().message(accepted.id(), Integer.MAX_VALUE)))
      .onComplete(context.succeeding(detail -> context.verify(() -> {
        assertEquals(1, arrivals.size(), "retried after the backend said abort");
        DeliverySummary delivery = detail.summary().deliveries().get(0);
        assertEquals(DeliveryStatus.CANCELLED, delivery.status());
        assertEquals(422, delivery.lastStatus());
        assertTrue(delivery.lastError().contains("Hookcast-Delivery: abort"), delivery.lastError());
        context.completeNow();
      })));
  }

  private Future<RecordingBackend> backend(Vertx vertx, RecordingBackend.Responder responder) {
    return RecordingBackend.start(vertx, (request, body) -> {
      long now = System.nanoTime();
      synchronized (arrivals) {
        if (arrivals.isEmpty()) {
          firstArrival = now;
        }
        arrivals.add(TimeUnit.NANOSECONDS.toMillis(now - firstArrival));
      }
      responder.respond(request, body);
    });
  }

  private Future<String> deliver(Vertx vertx, RecordingBackend backend, RateConfig rate) {
    BackendConfig limited = AsyncSetup.withRate(AsyncSetup.backend("ci", backend.url(), 5_000, 100), rate);
    return AsyncSetup.deliver(vertx, store, metrics, "node-a", limited, QUICK_RETRIES, 60_000);
  }

  private Future<Void> acceptAll(int count) {
    List<Future<Accepted>> accepts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      accepts.add(store.accept(AsyncSetup.message("webhook " + i, "ci")));
    }
    return Future.all(accepts).mapEmpty();
  }

  private double rate() {
    return registry.get("hookcast.backend.rate.per.second").tag("backend", "ci").gauge().value();
  }

  private static int mostInAnySecond(List<Long> sortedTimes) {
    int most = 0;
    int from = 0;
    for (int to = 0; to < sortedTimes.size(); to++) {
      while (sortedTimes.get(to) - sortedTimes.get(from) >= 1_000) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    return poll(vertx, done, giveUpAt);
  }

  private static Future<Void> poll(Vertx vertx, BooleanSupplier done, long giveUpAt) {
    if (done.getAsBoolean()) {
      return Future.succeededFuture();
    }
    if (System.nanoTime() > giveUpAt) {
      return Future.failedFuture("not within 30 s");
    }
    return vertx.timer(50).compose(v -> poll(vertx, done, giveUpAt));
  }
}
