package io.hookcast.schedule;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Reply;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.StoreConfig;
import io.hookcast.http.HookcastHeaders;
import io.hookcast.store.Accepted;
import io.hookcast.store.Changed;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.MessageDetail;
import io.hookcast.store.SqlDeliveryStore;
import io.hookcast.store.StoreMetrics;
import io.hookcast.store.StoredAttempt;
import io.hookcast.testing.AsyncSetup;
import io.hookcast.testing.Configs;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RecordingBackend.Received;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scheduler on the embedded store, delivering through real forwarders to real HTTP backends. */
@ExtendWith(VertxExtension.class)
class DeliverySchedulerTest {

  @TempDir
  Path dir;
  private SqlDeliveryStore store;
  private SimpleMeterRegistry registry;
  private StoreMetrics metrics;

  @BeforeEach
  void openStore(Vertx vertx, VertxTestContext context) {
    registry = new SimpleMeterRegistry();
    metrics = new StoreMetrics(registry);
    AsyncSetup.embeddedStore(vertx, dir, metrics).onComplete(context.succeeding(opened -> {
      store = opened;
      context.completeNow();
    }));
  }

  @AfterEach
  void closeStore(Vertx vertx, VertxTestContext context) {
    AsyncSetup.undeployThenClose(vertx, store).onComplete(context.succeedingThenComplete());
  }

  private static Set<String> messageIds(List<Received> received) {
    return received.stream().map(r -> r.headers().get(HookcastHeaders.MESSAGE_ID)).collect(Collectors.toSet());
  }

  private static Future<Void> until(Vertx vertx, java.util.function.BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture() : vertx.timer(50).compose(v -> until(vertx, done));
  }

  /** As {@link #until}, with a condition the store answers. */
  private static Future<Void> untilStored(Vertx vertx, java.util.function.Supplier<Future<Boolean>> done) {
    return done.get().compose(yes -> yes ? Future.succeededFuture() : vertx.timer(50).compose(v -> untilStored(vertx, done)));
  }

  @Test
  void makesTheFirstAttemptAtOnceWithTheMessageIdAndAttemptNumber(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok").compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a",
          AsyncSetup.backend("ci", backend.url(), 5_000, 5), List.of(60_000L), 60_000)
        .compose(deployed -> store.accept(AsyncSetup.message("hello", "ci")))
        .compose(accepted -> until(vertx, () -> !backend.received().isEmpty()).map(accepted)
          .compose(a -> vertx.timer(300).map(a)))
        .onComplete(context.succeeding(accepted -> context.verify(() -> {
          List<Received> received = backend.received();
          assertEquals(1, received.size());
          Received one = received.get(0);
          assertEquals("POST", one.method());
          assertEquals("/hooks/x?y=1", one.uri());
          assertEquals("hello", one.body().toString());
          assertEquals("hello", one.headers().get("X-Test"));
          assertEquals(accepted.id(), one.headers().get(HookcastHeaders.MESSAGE_ID));
          assertEquals("1", one.headers().get(HookcastHeaders.ATTEMPT));
          assertEquals(1.0, registry.get("hookcast.async.attempts").tags("backend", "ci", "outcome", "delivered")
            .counter().count());
          context.completeNow();
        }))))
      .onFailure(context::failNow);
  }

  @Test
  void anIdleLaneLooksForDeliveriesNobodyToldItOfOnceASecondNotAtEveryPoll(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 200, "ok").compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a",
          AsyncSetup.backend("ci", backend.url(), 5_000, 5), List.of(60_000L), 60_000))
      .compose(deployed -> vertx.timer(3_100))
      .onComplete(context.succeeding(idle -> context.verify(() -> {
        long claims = registry.get("hookcast.store.duration").tag("operation", "claim").timer().count();
        // At start, then once a second: polled every 250 ms, it would have claimed 13 times.
        assertTrue(claims >= 2 && claims <= 5, claims + " claims in 3.1 s");
        context.completeNow();
      })));
  }

  @Test
  void anIdleLaneClaimsItsOwnRetryWhenItIsDueNotAtItsNextLook(Vertx vertx, VertxTestContext context) {
    List<Long> attemptsAt = Collections.synchronizedList(new ArrayList<>());
    RecordingBackend.start(vertx, (request, body) -> {
        attemptsAt.add(System.nanoTime());
        request.response().setStatusCode(attemptsAt.size() == 1 ? 500 : 200).end();
      })
      .compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 5),
        List.of(100L), 60_000))
      // Idle first, so that the lane's last claim found nothing.
      .compose(deployed -> vertx.timer(1_200))
      .compose(idle -> store.accept(AsyncSetup.message("retried", "ci")))
      .compose(accepted -> until(vertx, () -> attemptsAt.size() == 2))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(attemptsAt.get(1) - attemptsAt.get(0));
        // The wait of 100 ms ±20 %, then the next 250 ms poll; an idle lane's next look could come up to 1 s later.
        assertTrue(waitedMs >= 80 && waitedMs < 700, "retried after " + waitedMs + " ms");
        context.completeNow();
      })));
  }

  @Test
  void deliversEverythingByRetriesToABackendThatWasDownForAWhile(Vertx vertx, VertxTestContext context) {
    String url = Configs.unreachableUrl();
    int port = URI.create(url).getPort();
    List<Long> schedule = Collections.nCopies(40, 200L);
    List<Future<Accepted>> accepts = new ArrayList<>();
    AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", url, 2_000, 3), schedule, 60_000)
      .compose(deployed -> {
        for (int i = 0; i < 20; i++) {
          accepts.add(store.accept(AsyncSetup.message("webhook " + i, "ci")));
        }
        return Future.all(accepts);
      })
      .compose(accepted -> vertx.timer(1_500))
      .compose(downForAWhile -> RecordingBackend.start(vertx, port, (request, body) -> request.response().end("ok")))
      .compose(backend -> until(vertx, () -> messageIds(backend.received()).size() == 20).map(backend))
      .onComplete(context.succeeding(backend -> context.verify(() -> {
        Set<String> ids = accepts.stream().map(a -> a.result().id()).collect(Collectors.toSet());
        assertEquals(ids, messageIds(backend.received()));
        assertEquals(20, backend.received().size(), "a delivered webhook was delivered again");
        // Some were refused by the open circuit without an attempt; the others were retried.
        assertTrue(backend.received().stream()
          .anyMatch(r -> Integer.parseInt(r.headers().get(HookcastHeaders.ATTEMPT)) > 1));
        assertTrue(registry.get("hookcast.async.attempts").tags("backend", "ci", "outcome", "unreachable").counter()
          .count() >= 1);
        context.completeNow();
      })));
  }

  @Test
  void leavesADeliveryDeadAfterExactlyItsScheduledAttempts(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 500, "broken").compose(backend -> {
        BackendConfig config = AsyncSetup.backend("ci", backend.url(), 5_000, 100);
        return AsyncSetup.deliver(vertx, store, metrics, "node-a", config, List.of(100L, 100L, 100L), 60_000)
          .compose(deployed -> store.accept(AsyncSetup.message("doomed", "ci")))
          .compose(accepted -> until(vertx, () -> backend.received().size() >= 4))
          // Long enough for a fifth attempt, were one scheduled.
          .compose(v -> vertx.timer(1_500))
          .compose(v -> store.backlog())
          .onComplete(context.succeeding(backlog -> context.verify(() -> {
            List<String> attempts = backend.received().stream()
              .map(r -> r.headers().get(HookcastHeaders.ATTEMPT)).toList();
            assertEquals(List.of("1", "2", "3", "4"), attempts);
            assertEquals(List.of(), backlog, "a dead delivery is still pending");
            assertEquals(1.0, registry.get("hookcast.async.dead").tags("backend", "ci").counter().count());
            assertEquals(4.0, registry.get("hookcast.async.attempts").tags("backend", "ci", "outcome", "rejected")
              .counter().count());
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }

  @Test
  void anAttemptTheProcessDiedInCountsSoAPoisonDeliveryEndsDeadInsteadOfLoopingForever(Vertx vertx, VertxTestContext context) {
    StoreConfig config = new StoreConfig(dir.resolve("data"), null, null, null, 1, 5_000);
    List<Integer> claimedAttempts = new ArrayList<>();
    RecordingBackend.answering(vertx, 200, "never reached").compose(backend -> store.accept(AsyncSetup.message("poison", "ci"))
        // Its three scheduled attempts and the one made again after the last, each claimed and then lost with the
        // process (closed without a record; reopened as after a kill).
        .compose(accepted -> crashDuringAttempt(vertx, config, claimedAttempts))
        .compose(v -> crashDuringAttempt(vertx, config, claimedAttempts))
        .compose(v -> crashDuringAttempt(vertx, config, claimedAttempts))
        .compose(v -> crashDuringAttempt(vertx, config, claimedAttempts))
        .compose(v -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 100),
          List.of(100L, 100L), 60_000))
        .compose(deployed -> until(vertx, () -> registry.find("hookcast.async.dead").counter() != null
          && registry.get("hookcast.async.dead").tags("backend", "ci").counter().count() == 1.0))
        .compose(v -> store.backlog())
        .onComplete(context.succeeding(backlog -> context.verify(() -> {
          assertEquals(List.of(1, 2, 3, 4), claimedAttempts);
          assertEquals(List.of(), backlog, "the poison delivery is still pending");
          assertEquals(List.of(), backend.received(), "the poison webhook was sent after its schedule was spent");
          context.completeNow();
        }))))
      .onFailure(context::failNow);
  }

  /**
   * An operator's retry of a webhook that crashes the process: its attempts are manual, and the process ending
   * during two of them ends it dead as it would a scheduled one, where it used to be sent again at every restart.
   */
  @Test
  void aRetriedWebhookTheProcessDiesInTwiceEndsDeadInsteadOfCrashingEveryRestart(Vertx vertx, VertxTestContext context) {
    StoreConfig config = new StoreConfig(dir.resolve("data"), null, null, null, 1, 5_000);
    List<Integer> claimedAttempts = new ArrayList<>();
    RecordingBackend.answering(vertx, 200, "never reached").compose(backend -> store.accept(AsyncSetup.message("poison", "ci"))
        .compose(accepted -> store.operations().retry(accepted.id(), "ci")
          .compose(retried -> crashDuringAttempt(vertx, config, claimedAttempts))
          .compose(v -> crashDuringAttempt(vertx, config, claimedAttempts))
          .compose(v -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 100),
            List.of(100L, 100L), 60_000))
          .compose(deployed -> untilSettled(vertx, store.operations(), accepted.id())))
        .onComplete(context.succeeding(dead -> context.verify(() -> {
          assertEquals(List.of(1, 2), claimedAttempts);
          assertEquals(List.of(), backend.received(), "the retried webhook was sent again after two attempts ended the process");
          assertEquals(DeliveryStatus.DEAD, dead.summary().deliveries().get(0).status());
          StoredAttempt last = dead.attempts().get("ci").get(0);
          assertEquals(3, last.attempt());
          assertTrue(last.record().error().contains("attempts 1 and 2 never ended"), last.record().error());
          context.completeNow();
        }))))
      .onFailure(context::failNow);
  }

  /**
   * A reload that shortens the schedule below the attempts a delivery has made: its next attempt is made, and it
   * ends as its answer says, not dead for crashes that never happened.
   */
  @Test
  void aScheduleShortenedByAReloadStillMakesTheNextAttemptOfADeliveryPastIt(Vertx vertx, VertxTestContext context) {
    boolean[] broken = {true};
    RecordingBackend.start(vertx, (request, body) -> request.response().setStatusCode(broken[0] ? 500 : 200).end())
      .compose(backend -> {
        BackendConfig config = AsyncSetup.backend("ci", backend.url(), 5_000, 100);
        return AsyncSetup.deliver(vertx, store, metrics, "node-a", config, List.of(100L, 100L, 1_000L, 1_000L), 60_000)
          .compose(scheduler -> store.accept(AsyncSetup.message("patient", "ci"))
            .compose(accepted -> untilStored(vertx, () -> store.operations().message(accepted.id(), Integer.MAX_VALUE)
                .map(detail -> detail.attempts().getOrDefault("ci", List.of()).size() == 3))
              .compose(threeFailed -> vertx.undeploy(scheduler))
              .compose(v -> {
                broken[0] = false;
                // Reloaded with a schedule of two attempts (a new forwarder and scheduler); this delivery has made three.
                return AsyncSetup.reloaded(vertx, store, metrics, "node-a", config, List.of(100L), 60_000, new BackendRates());
              })
              .compose(reloaded -> untilSettled(vertx, store.operations(), accepted.id()))))
          .onComplete(context.succeeding(settled -> context.verify(() -> {
            assertEquals(DeliveryStatus.DELIVERED, settled.summary().deliveries().get(0).status(),
              settled.attempts().get("ci").get(settled.attempts().get("ci").size() - 1).record().error());
            assertEquals(List.of("1", "2", "3", "4"), backend.received().stream()
              .map(r -> r.headers().get(HookcastHeaders.ATTEMPT)).toList());
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }

  /** A kill during a delivery's only attempt (schedule []) is no reason to give it up: it is made once more. */
  @Test
  void aKillDuringTheLastScheduledAttemptLeavesTheWebhookToBeDeliveredAfterTheRestart(Vertx vertx, VertxTestContext context) {
    StoreConfig config = new StoreConfig(dir.resolve("data"), null, null, null, 1, 5_000);
    List<Integer> claimedAttempts = new ArrayList<>();
    RecordingBackend.answering(vertx, 200, "ok").compose(backend -> store.accept(AsyncSetup.message("once", "ci"))
        .compose(accepted -> crashDuringAttempt(vertx, config, claimedAttempts))
        .compose(v -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 100),
          List.of(), 60_000))
        .compose(deployed -> until(vertx, () -> !backend.received().isEmpty()))
        // Delivered, and recorded so.
        .compose(v -> untilStored(vertx, () -> store.backlog().map(List::isEmpty)))
        .onComplete(context.succeeding(recorded -> context.verify(() -> {
          assertEquals(List.of(1), claimedAttempts);
          assertEquals(List.of("2"), backend.received().stream().map(r -> r.headers().get(HookcastHeaders.ATTEMPT)).toList());
          assertEquals(0.0, registry.get("hookcast.async.dead").tags("backend", "ci").counter().count(), "counted dead");
          context.completeNow();
        }))))
      .onFailure(context::failNow);
  }

  /** Claims the due delivery of ci, then closes the store without recording the attempt and opens it again. */
  private Future<Void> crashDuringAttempt(Vertx vertx, StoreConfig config, List<Integer> claimedAttempts) {
    return store.claim("ci", "node-a", 10, Long.MAX_VALUE, true, 60_000)
      .compose(claimed -> {
        claimed.forEach(delivery -> claimedAttempts.add(delivery.attempt()));
        return store.close();
      })
      .compose(v -> SqlDeliveryStore.open(vertx, config, metrics))
      .map(reopened -> {
        store = reopened;
        return null;
      });
  }

  /**
   * A backend slower than its traffic: new webhooks keep its lane full for 20 seconds. A delivery that waits in the
   * store (here one of an ordered route, which is never handed over) is still claimed meanwhile, where it used to wait
   * for the traffic to end, however long that took.
   */
  @Test
  void aDeliveryWaitingInTheStoreIsClaimedWhileNewWebhooksKeepTheLaneFull(Vertx vertx, VertxTestContext context) {
    long[] orderedArrived = {0};
    // Ends as soon as the ordered webhook arrives: long only so that a slow machine's backlog cannot outlast it.
    long loadMs = 20_000;
    RecordingBackend.start(vertx, (request, body) -> {
        if (body.toString().equals("ordered")) {
          orderedArrived[0] = System.nanoTime();
        }
        vertx.setTimer(50, id -> request.response().end("ok"));
      })
      .compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 100),
        List.of(100L), 60_000))
      .compose(deployed -> {
        long loadEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(loadMs);
        // About 300 a second, where the backend takes about 160 (8 connections, 50 ms each).
        long load = vertx.setPeriodic(10, id -> {
          for (int i = 0; i < 3 && System.nanoTime() < loadEnds; i++) {
            store.accept(AsyncSetup.message("load", "ci"));
          }
        });
        return vertx.timer(1_000)
          .compose(v -> store.accept(AsyncSetup.ordered("ordered", "shop-1", "ci")))
          .compose(accepted -> until(vertx, () -> orderedArrived[0] != 0 || System.nanoTime() > loadEnds))
          .map(v -> {
            vertx.cancelTimer(load);
            return loadEnds;
          });
      })
      .onComplete(context.succeeding(loadEnds -> context.verify(() -> {
        assertTrue(orderedArrived[0] != 0, "the ordered webhook was not delivered while the load lasted");
        context.completeNow();
      })));
  }

  /**
   * A backlog of 300, far more than the forwarder takes (maxInFlight 16 + maxQueued 64): the lane never has more
   * hand-offs unanswered than that, so the forwarder refuses none of them ("overloaded"), and each is delivered once.
   * Watched on the event bus, where the lane hands deliveries over and the forwarder answers: the backend's own
   * concurrency would say nothing, as the forwarder's connection pool bounds it whatever the lane sends.
   */
  @Test
  void neverHasMoreInFlightToABackendThanItsForwardersTake(Vertx vertx, VertxTestContext context) {
    // Counted as the lane sends a hand-off and as its reply reaches the lane's inbox.
    AtomicInteger unanswered = new AtomicInteger();
    AtomicInteger mostUnanswered = new AtomicInteger();
    List<String> refusals = new CopyOnWriteArrayList<>();
    Handler<DeliveryContext<Object>> handedOver = delivery -> {
      if (delivery.body() instanceof Handoff) {
        mostUnanswered.accumulateAndGet(unanswered.incrementAndGet(), Math::max);
      }
      delivery.next();
    };
    Handler<DeliveryContext<Object>> answered = delivery -> {
      if (delivery.body() instanceof Reply reply) {
        unanswered.decrementAndGet();
        if (!reply.result().outcome().attempted()) {
          refusals.add(reply.result().outcome().toString());
        }
      }
      delivery.next();
    };
    vertx.eventBus().addOutboundInterceptor(handedOver).addInboundInterceptor(answered);
    RecordingBackend.start(vertx, (request, body) -> vertx.setTimer(20, id -> request.response().end("ok")))
      .compose(backend -> {
        BackendConfig config = AsyncSetup.backend("ci", backend.url(), 10_000, 5);
        List<Future<Accepted>> accepts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          accepts.add(store.accept(AsyncSetup.message("w" + i, "ci")));
        }
        return Future.all(accepts)
          .compose(accepted -> AsyncSetup.deliver(vertx, store, metrics, "node-a", config, List.of(100L), 60_000))
          .compose(deployed -> until(vertx, () -> messageIds(backend.received()).size() == 300))
          .onComplete(context.succeeding(v -> context.verify(() -> {
            vertx.eventBus().removeOutboundInterceptor(handedOver).removeInboundInterceptor(answered);
            assertEquals(300, backend.received().size(), "a delivery was repeated");
            assertEquals(List.of(), refusals.stream().distinct().toList(), refusals.size() + " hand-offs the forwarder did not take");
            int takes = config.maxInFlight() + config.maxQueued();
            assertTrue(mostUnanswered.get() <= takes, "hand-offs unanswered at once: " + mostUnanswered.get()
              + ", where the forwarder takes " + takes);
            context.completeNow();
          })));
      })
      .onFailure(context::failNow);
  }

  @Test
  void aBackendsRetryAfterDelaysTheNextAttemptBeyondTheSchedule(Vertx vertx, VertxTestContext context) {
    List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingBackend.start(vertx, (request, body) -> {
        arrivals.add(System.nanoTime());
        if (arrivals.size() == 1) {
          request.response().setStatusCode(503).putHeader("Retry-After", "2").end("busy");
        } else {
          request.response().end("ok");
        }
      })
      .compose(backend -> AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", backend.url(), 5_000, 5),
          List.of(100L, 100L), 60_000)
        .compose(deployed -> store.accept(AsyncSetup.message("later", "ci")))
        .compose(accepted -> until(vertx, () -> arrivals.size() >= 2)))
      .onComplete(context.succeeding(v -> context.verify(() -> {
        long gapMs = TimeUnit.NANOSECONDS.toMillis(arrivals.get(1) - arrivals.get(0));
        // The schedule alone would retry after about 100 ms; the backend asked for 2 s.
        assertTrue(gapMs >= 1_500, "retried after " + gapMs + " ms");
        context.completeNow();
      })));
  }

  @Test
  void anOperatorsRetryDeliversADeadDeliveryOnceItsBackendIsBackAsManualAttemptNPlusOne(Vertx vertx,
                                                                                      VertxTestContext context) {
    String url = Configs.unreachableUrl();
    int port = URI.create(url).getPort();
    DeliveryOperations operations = store.operations();
    // Three attempts 100 ms apart, and a circuit that stays closed, so that each one reaches the closed port.
    AsyncSetup.deliver(vertx, store, metrics, "node-a", AsyncSetup.backend("ci", url, 2_000, 100), List.of(100L, 100L), 60_000)
      .compose(deployed -> store.accept(AsyncSetup.message("weekend", "ci")))
      .compose(accepted -> untilStatus(vertx, operations, accepted.id(), DeliveryStatus.DEAD)
        .compose(dead -> RecordingBackend.start(vertx, port, (request, body) -> request.response().end("back")))
        .compose(backend -> operations.retry(accepted.id(), null)
          .compose(changed -> untilStatus(vertx, operations, accepted.id(), DeliveryStatus.DELIVERED)
            .onComplete(context.succeeding(detail -> context.verify(() -> {
              assertEquals(new Changed(true, 1), changed);
              assertEquals(1, backend.received().size());
              assertEquals("4", backend.received().get(0).headers().get(HookcastHeaders.ATTEMPT));
              List<StoredAttempt> history = detail.attempts().get("ci");
              assertEquals(List.of(1, 2, 3, 4), history.stream().map(StoredAttempt::attempt).toList());
              assertEquals(List.of(AttemptOutcome.UNREACHABLE, AttemptOutcome.UNREACHABLE, AttemptOutcome.UNREACHABLE,
                AttemptOutcome.DELIVERED), history.stream().map(a -> a.record().outcome()).toList());
              assertEquals(List.of(false, false, false, true), history.stream().map(a -> a.record().manual()).toList());
              assertEquals(200, history.get(3).record().status());
              assertEquals("back", history.get(3).record().responseHead());
              context.completeNow();
            }))))))
      .onFailure(context::failNow);
  }

  /** Once its first delivery has ended (delivered, dead or cancelled). */
  private static Future<MessageDetail> untilSettled(Vertx vertx, DeliveryOperations operations, String id) {
    return operations.message(id, Integer.MAX_VALUE).compose(detail -> switch (detail.summary().deliveries().get(0).status()) {
      case PENDING, DELIVERING -> vertx.timer(50).compose(v -> untilSettled(vertx, operations, id));
      default -> Future.succeededFuture(detail);
    });
  }

  private static Future<MessageDetail> untilStatus(Vertx vertx, DeliveryOperations operations, String id,
                                                   DeliveryStatus status) {
    return operations.message(id, Integer.MAX_VALUE).compose(detail -> detail.summary().deliveries().get(0).status() == status
      ? Future.succeededFuture(detail)
      : vertx.timer(50).compose(v -> untilStatus(vertx, operations, id, status)));
  }
}
