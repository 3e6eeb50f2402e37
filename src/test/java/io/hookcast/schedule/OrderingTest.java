package io.hookcast.schedule;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.config.BackendConfig;
import io.hookcast.store.Accepted;
import io.hookcast.store.AttemptRecord;
import io.hookcast.store.ClaimedDelivery;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.DeliverySummary;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.RecordingBackend;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** routes[].order on the embedded store, through a real scheduler and forwarder to a real HTTP backend. */
@ExtendWith(VertxExtension.class)
class OrderingTest {

  private static final int MESSAGES = 500;
  private static final int KEYS = 20;
  private static final String FAILING_KEY = "key-7";

  @TempDir
  Path dir;
  private SqlDeliveryStore store;
  private StoreMetrics metrics;

  @BeforeEach
  void openStore(Vertx vertx, VertxTestContext context) {
    metrics = new StoreMetrics(new SimpleMeterRegistry());
    AsyncSetup.embeddedStore(vertx, dir, metrics).onComplete(context.succeeding(opened -> {
      store = opened;
      context.completeNow();
    }));
  }

  @AfterEach
  void closeStore(Vertx vertx, VertxTestContext context) {
    AsyncSetup.undeployThenClose(vertx, store).onComplete(context.succeedingThenComplete());
  }

  /** What the backend saw: the message number and key of every request, in the order they arrived, and whether it was answered 2xx. */
  private record Arrival(int number, String key, boolean delivered, long atNanos) {
  }

  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void eachKeysDeliveriesArriveInAcceptanceOrderAndARetryingOneHoldsBackOnlyItsOwnKey(Vertx vertx, VertxTestContext context) {
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    Map<String, Integer> inProgress = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    int[] failuresLeft = {3};
    RecordingBackend.start(vertx, (request, body) -> {
      String[] parts = body.toString().split(" ");
      int number = Integer.parseInt(parts[0]);
      String key = parts[1];
      if (inProgress.merge(key, 1, Integer::sum) > 1) {
        overlaps.add(key);
      }
      // The first delivery of one key fails three times; everything else is delivered.
      boolean fail = key.equals(FAILING_KEY) && number == 7 && failuresLeft[0]-- > 0;
      arrivals.add(new Arrival(number, key, !fail, System.nanoTime()));
      vertx.setTimer(2, id -> {
        inProgress.merge(key, -1, Integer::sum);
        request.response().setStatusCode(fail ? 500 : 200).end();
      });
    })
      .compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 100),
        List.of(300L, 300L, 300L, 300L, 300L), 60_000))
      .compose(v -> {
        List<Future<Accepted>> accepts = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
          String key = "key-" + i % KEYS;
          accepts.add(store.accept(AsyncSetup.ordered(i + " " + key, key, "ci")));
        }
        return Future.all(accepts);
      })
      .compose(v -> until(vertx, () -> arrivals.stream().filter(Arrival::delivered).count() >= MESSAGES))
      .compose(v -> vertx.timer(300))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        assertEquals(List.of(), overlaps, "two deliveries of one key at once");
        for (int k = 0; k < KEYS; k++) {
          String key = "key-" + k;
          List<Integer> order = arrivals.stream().filter(a -> a.key().equals(key) && a.delivered()).map(Arrival::number).toList();
          List<Integer> sorted = new ArrayList<>(order);
          Collections.sort(sorted);
          assertEquals(sorted, order, key + " delivered out of acceptance order");
          assertEquals(MESSAGES / KEYS, order.size(), key + " delivered " + order.size() + " times");
        }
        List<Integer> failing = arrivals.stream().filter(a -> a.key().equals(FAILING_KEY)).map(Arrival::number).toList();
        assertEquals(List.of(7, 7, 7, 7, 27), failing.subList(0, 5), "the failing key waited for its first delivery");
        // While key-7 waited for its retries (at least 3 x 300 ms, less the jitter), the other keys went on.
        long firstFailure = arrivals.stream().filter(a -> !a.delivered()).findFirst().orElseThrow().atNanos();
        long finallyDelivered = arrivals.stream().filter(a -> a.key().equals(FAILING_KEY) && a.delivered()).findFirst().orElseThrow().atNanos();
        long othersMeanwhile = arrivals.stream()
          .filter(a -> !a.key().equals(FAILING_KEY) && a.atNanos() > firstFailure && a.atNanos() < finallyDelivered).count();
        assertTrue(othersMeanwhile >= 100, "only " + othersMeanwhile + " deliveries of other keys while key-7 retried");
        context.completeNow();
      })))
      .onFailure(context::failNow);
  }

  @Test
  void aWebhookWithoutAKeyIsNotHeldBackByOrderedOnes(Vertx vertx, VertxTestContext context) {
    List<String> bodies = new CopyOnWriteArrayList<>();
    RecordingBackend.start(vertx, (request, body) -> {
      bodies.add(body.toString());
      request.response().setStatusCode(body.toString().equals("first") ? 500 : 200).end();
    })
      .compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 100),
        List.of(5_000L), 60_000))
      .compose(v -> store.accept(AsyncSetup.ordered("first", "shop-1", "ci")))
      .compose(first -> store.accept(AsyncSetup.ordered("second", "shop-1", "ci"))
        .compose(second -> store.accept(AsyncSetup.message("unordered", "ci"))
          .compose(v -> until(vertx, () -> bodies.contains("unordered")))
          .compose(v -> vertx.timer(500))
          .compose(v -> store.operations().message(second.id(), Integer.MAX_VALUE))
          .onComplete(context.succeeding(detail -> context.verify(() -> {
            // In either order: 'unordered' is handed to the lane by its accept, 'first' is claimed.
            assertEquals(Set.of("first", "unordered"), Set.copyOf(bodies), "'second' waits for 'first', retried in 5 s; 'unordered' does not");
            assertEquals(2, bodies.size(), "a delivery was made twice: " + bodies);
            DeliverySummary waiting = detail.summary().deliveries().get(0);
            assertEquals("shop-1", waiting.orderKey());
            assertEquals(first.id(), waiting.waitingFor(), "the operator sees which message holds the key");
            context.completeNow();
          })))))
      .onFailure(context::failNow);
  }

  /**
   * Ordered deliveries are always claimed from the store; a lane with room for thousands (maxInFlight + maxQueued)
   * claims the next key's while one is under way, although a claim takes at most {@link DeliveryStore#MAX_CLAIM}.
   */
  @Test
  void aLaneWithRoomForThousandsClaimsAnotherKeysDeliveryWhileOneIsUnderWay(Vertx vertx, VertxTestContext context) {
    List<String> bodies = new CopyOnWriteArrayList<>();
    Set<String> answered = ConcurrentHashMap.newKeySet();
    RecordingBackend.start(vertx, (request, body) -> {
      bodies.add(body.toString());
      vertx.setTimer(body.toString().equals("slow") ? 3_000 : 1, id -> {
        answered.add(body.toString());
        request.response().setStatusCode(200).end();
      });
    })
      .compose(backend -> {
        BackendConfig small = AsyncSetup.backend("ci", backend.url(), 5_000, 100);
        BackendConfig roomy = new BackendConfig(small.name(), small.url(), small.host(), small.port(), small.timeoutMs(),
          small.maxConnections(), 16, 5_000, small.maxResponseBodyBytes(), small.retry(), small.circuitBreaker(),
          small.asyncScheduleMs(), null, null);
        return AsyncSetup.deliver(vertx, store, metrics, "node-a", roomy, List.of(5_000L), 60_000);
      })
      .compose(v -> store.accept(AsyncSetup.ordered("slow", "shop-1", "ci")))
      .compose(v -> until(vertx, () -> bodies.contains("slow")))
      .compose(v -> store.accept(AsyncSetup.ordered("quick", "shop-2", "ci")))
      .compose(v -> until(vertx, () -> bodies.contains("quick") || answered.contains("slow")))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        assertEquals(List.of("slow", "quick"), bodies);
        assertTrue(!answered.contains("slow"), "'quick' was claimed only once 'slow' was answered");
        context.completeNow();
      })));
  }

  /**
   * An operator's retry makes an earlier delivery of a key pending again while a later one is being delivered: it
   * waits for that one, never runs beside it.
   */
  @Test
  void anEarlierDeliveryRetriedWhileALaterOneOfItsKeyIsUnderWayWaitsForIt(VertxTestContext context) {
    store.accept(AsyncSetup.ordered("m1", "shop-1", "ci"))
      .compose(m1 -> store.accept(AsyncSetup.ordered("m2", "shop-1", "ci"))
        .compose(m2 -> claim()
          .compose(first -> {
            context.verify(() -> assertEquals(List.of(m1.id()), first.stream().map(ClaimedDelivery::messageId).toList()));
            return store.record(first.get(0), new AttemptRecord(Instant.now(), 1, 500, AttemptOutcome.REJECTED, null, "no",
              "node-a", false), DeliveryStatus.DEAD, null);
          })
          .compose(v -> claim())
          .compose(second -> {
            context.verify(() -> assertEquals(List.of(m2.id()), second.stream().map(ClaimedDelivery::messageId).toList()));
            return store.operations().retry(m1.id(), "ci");
          })
          .compose(retried -> claim())
          .compose(third -> store.operations().message(m1.id(), Integer.MAX_VALUE).map(detail -> {
            context.verify(() -> {
              assertEquals(List.of(), third, "m1 claimed while m2 of its key was under way");
              assertEquals(m2.id(), detail.summary().deliveries().get(0).waitingFor());
            });
            return null;
          }))))
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * Should the later delivery's node die while the earlier one is pending again (an operator's retry), the later
   * one's expired lease is taken over, and the earlier one follows it: neither waits for the other for good.
   */
  @Test
  void aLaterDeliveryWhoseLeaseExpiredIsTakenOverThoughAnEarlierOneOfItsKeyIsPendingAgain(Vertx vertx, VertxTestContext context) {
    store.accept(AsyncSetup.ordered("m1", "shop-1", "ci"))
      .compose(m1 -> store.accept(AsyncSetup.ordered("m2", "shop-1", "ci"))
        .compose(m2 -> claim()
          .compose(first -> store.record(first.get(0), new AttemptRecord(Instant.now(), 1, 500, AttemptOutcome.REJECTED, null,
            "no", "node-a", false), DeliveryStatus.DEAD, null))
          // node-b claims m2 for 200 ms, and dies.
          .compose(v -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 200))
          .compose(second -> store.operations().retry(m1.id(), "ci"))
          .compose(retried -> vertx.timer(400))
          .compose(v -> claim())
          .compose(takenOver -> {
            context.verify(() -> assertEquals(List.of(m2.id()), takenOver.stream().map(ClaimedDelivery::messageId).toList(),
              "m2's expired lease is taken over"));
            return store.record(takenOver.get(0), new AttemptRecord(Instant.now(), 1, 200, AttemptOutcome.DELIVERED, null, "ok",
              "node-a", false), DeliveryStatus.DELIVERED, null);
          })
          .compose(v -> claim())
          .map(last -> {
            context.verify(() -> assertEquals(List.of(m1.id()), last.stream().map(ClaimedDelivery::messageId).toList(),
              "then m1, retried"));
            return null;
          })))
      .onComplete(context.succeedingThenComplete());
  }

  private Future<List<ClaimedDelivery>> claim() {
    return store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000);
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture() : vertx.timer(50).compose(v -> until(vertx, done));
  }
}
