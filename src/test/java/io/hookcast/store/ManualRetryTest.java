package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An operator sends deliveries again (one message, or in bulk by filter) or gives them up. */
abstract class ManualRetryTest extends OperationsTestBase {

  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);

  private static Map<String, DeliveryStatus> statuses(MessageDetail detail) {
    Map<String, DeliveryStatus> statuses = new TreeMap<>();
    detail.summary().deliveries().forEach(d -> statuses.put(d.backend(), d.status()));
    return statuses;
  }

  @Test
  void aRetriedDeadDeliveryIsDueAtOnceAndItsNextAttemptIsManualAttemptNPlusOne(Vertx vertx, VertxTestContext context) {
    List<Set<String>> nudges = new CopyOnWriteArrayList<>();
    open(vertx).compose(store -> {
        store.subscribe(new DueDeliveries() {
          @Override
          public Slot reserve(String backend, long bytes) {
            return null;
          }

          @Override
          public void unreserve(Slot slot) {
          }

          @Override
          public void leased(List<ClaimedDelivery> deliveries) {
          }

          @Override
          public void due(Set<String> backends) {
            nudges.add(backends);
          }
        });
        return store.accept(message("/hooks", null, T0, "x", "ci"))
          .compose(accepted -> claimAll(store, "ci")
            .compose(ci -> store.record(ci.get(accepted.id()), attempt(T0, AttemptOutcome.REJECTED, 500, false),
              DeliveryStatus.PENDING, Instant.now()))
            .compose(v -> claimAll(store, "ci"))
            .compose(ci -> store.record(ci.get(accepted.id()), attempt(T0, AttemptOutcome.REJECTED, 500, false),
              DeliveryStatus.DEAD, null))
            .compose(v -> claimAll(store, "ci"))
            .compose(nothing -> {
              context.verify(() -> assertEquals(Map.of(), nothing, "a dead delivery was claimed"));
              nudges.clear();
              return store.operations().retry(accepted.id(), "ci");
            })
            .compose(changed -> store.operations().message(accepted.id(), Integer.MAX_VALUE).map(detail -> {
              context.verify(() -> {
                assertEquals(new Changed(true, 1), changed);
                DeliverySummary ci = detail.summary().deliveries().get(0);
                assertEquals(DeliveryStatus.PENDING, ci.status());
                assertFalse(ci.nextAttemptAt().isAfter(Instant.now()), "not due now: " + ci.nextAttemptAt());
              });
              return null;
            }))
            .compose(v -> claimAll(store, "ci"))
            .compose(ci -> {
              ClaimedDelivery manual = ci.get(accepted.id());
              context.verify(() -> {
                assertEquals(3, manual.attempt());
                assertTrue(manual.manual());
              });
              // The manual attempt fails; the schedule has a retry after it, due a second ago so that a PostgreSQL
              // clock a few milliseconds behind this JVM's still finds it due.
              return store.record(manual, attempt(Instant.now(), AttemptOutcome.REJECTED, 500, true),
                DeliveryStatus.PENDING, Instant.now().minusSeconds(1));
            })
            .compose(v -> claimAll(store, "ci"))
            .compose(ci -> store.operations().message(accepted.id(), Integer.MAX_VALUE).map(detail -> {
              context.verify(() -> {
                ClaimedDelivery scheduled = ci.get(accepted.id());
                assertEquals(4, scheduled.attempt());
                assertFalse(scheduled.manual(), "the manual flag outlived the attempt it asked for");
                assertEquals(List.of(false, false, true),
                  detail.attempts().get("ci").stream().map(a -> a.record().manual()).toList());
                assertTrue(nudges.contains(Set.of("ci")), "this node's scheduler was not nudged: " + nudges);
              });
              return null;
            })))
          .eventually(store::close);
      })
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void aRetryLeavesADeliveryUnderWayAloneAndAnswersNotFoundForAnUnknownMessageOrBackend(Vertx vertx,
                                                                                       VertxTestContext context) {
    open(vertx).compose(store -> store.accept(message("/hooks", null, T0, "x", "ci", "audit"))
        .compose(accepted -> claimAll(store, "audit")
          .compose(audit -> store.record(audit.get(accepted.id()), attempt(T0, AttemptOutcome.DELIVERED, 200, false),
            DeliveryStatus.DELIVERED, null))
          .compose(v -> claimAll(store, "ci"))
          .compose(underWay -> Future.all(List.of(
              store.operations().retry(accepted.id(), null),
              store.operations().retry(accepted.id(), "ci"),
              store.operations().retry(accepted.id(), "nope"),
              store.operations().retry("no-such-message", null),
              store.operations().retry("no-such-message", "ci")))
            .compose(answers -> store.operations().message(accepted.id(), Integer.MAX_VALUE).compose(detail -> claimAll(store, "audit")
              .compose(audit -> store.record(underWay.get(accepted.id()),
                  attempt(Instant.now(), AttemptOutcome.DELIVERED, 200, false), DeliveryStatus.DELIVERED, null)
                .map(recorded -> {
                  context.verify(() -> {
                    List<Changed> changed = answers.list();
                    assertEquals(List.of(new Changed(true, 1), new Changed(true, 0), new Changed(false, 0),
                      new Changed(false, 0), new Changed(false, 0)), changed);
                    assertEquals(Map.of("audit", DeliveryStatus.PENDING, "ci", DeliveryStatus.DELIVERING),
                      statuses(detail));
                    assertEquals(2, audit.get(accepted.id()).attempt(), "a delivered delivery is retried as attempt 2");
                    assertTrue(recorded, "the retry took the lease of the attempt under way");
                  });
                  return null;
                }))))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void retriesEveryMatchingDeliveryInBatchesAndCountsThem(Vertx vertx, VertxTestContext context) {
    List<NewMessage> messages = new ArrayList<>();
    int bulk = 2 * SqlDeliveryOperations.RETRY_BATCH + 201;
    for (int i = 0; i < bulk; i++) {
      messages.add(message("/bulk", null, T0.plusMillis(i), "m" + i, "ci"));
    }
    // Received last, so that it is not among the first three claimed (in order of due time) and made dead.
    messages.add(message("/other", null, T0.plusSeconds(60), "other", "ci"));
    messages.add(message("/bulk", null, T0, "audit only", "audit"));
    open(vertx).compose(store -> acceptAll(store, messages)
        .compose(ids -> store.claim("ci", "node-a", 3, Long.MAX_VALUE, true, 60_000))
        .compose(three -> Future.all(three.stream().map(delivery -> store.record(delivery,
          attempt(T0, AttemptOutcome.REJECTED, 500, false), DeliveryStatus.DEAD, null)).toList()))
        .compose(v -> store.operations().retryAll(new MessageQuery(null, null, DeliveryStatus.DEAD, null, null, null)))
        .compose(dead -> store.operations().retryAll(new MessageQuery("/bulk", "ci", DeliveryStatus.PENDING, null,
            null, null))
          .compose(pending -> store.operations().retryAll(new MessageQuery("/bulk", null, null, null,
              T0.plusMillis(bulk - 100), T0.plusMillis(bulk - 10)))
            .compose(window -> store.operations().retryAll(new MessageQuery(null, "nope", null, null, null, null))
              .compose(none -> claimEvery(store, "ci", new ArrayList<>())
                .compose(ci -> store.claim("audit", "node-a", 10, Long.MAX_VALUE, true, 60_000).map(audit -> {
                  context.verify(() -> {
                    assertEquals(3, dead);
                    // The three retried ones are pending again, and still match: the paging must end anyway.
                    assertEquals(bulk, pending);
                    assertEquals(90, window);
                    assertEquals(0, none);
                    assertEquals(bulk + 1, ci.size());
                    assertEquals(bulk, ci.stream().filter(ClaimedDelivery::manual).count());
                    assertFalse(ci.stream().filter(d -> d.body().toString().equals("other")).findFirst().orElseThrow()
                      .manual(), "a delivery outside the filter was retried");
                    assertEquals(1, audit.size());
                    assertFalse(audit.get(0).manual(), "a delivery to another backend was retried");
                  });
                  return null;
                })))))
          )
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void aBulkRetryNeverTouchesADeliveryUnderWay(Vertx vertx, VertxTestContext context) {
    open(vertx).compose(store -> acceptAll(store, List.of(message("/hooks", null, T0, "a", "ci"),
          message("/hooks", null, T0.plusSeconds(1), "b", "ci")))
        .compose(ids -> store.claim("ci", "node-a", 1, Long.MAX_VALUE, true, 60_000)
          .compose(underWay -> store.operations().retryAll(MessageQuery.ALL)
            .compose(queued -> store.record(underWay.get(0), attempt(Instant.now(), AttemptOutcome.DELIVERED, 200, false),
                DeliveryStatus.DELIVERED, null)
              .map(recorded -> {
                context.verify(() -> {
                  assertEquals(1, queued);
                  assertTrue(recorded, "the bulk retry took the lease of the attempt under way");
                });
                return null;
              }))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  @Test
  void cancelsOnlyPendingDeliveries(Vertx vertx, VertxTestContext context) {
    open(vertx).compose(store -> store.accept(message("/hooks", null, T0, "x", "ci", "audit", "ops"))
        .compose(accepted -> claimAll(store, "audit")
          .compose(audit -> store.record(audit.get(accepted.id()), attempt(T0, AttemptOutcome.DELIVERED, 200, false),
            DeliveryStatus.DELIVERED, null))
          .compose(v -> claimAll(store, "ci"))
          // One after the other: at once, either call could be the one that finds ops pending.
          .compose(underWay -> store.operations().cancel(accepted.id(), null)
            .compose(all -> store.operations().cancel(accepted.id(), "ops")
              .compose(ops -> store.operations().cancel(accepted.id(), "nope")
                .compose(nope -> store.operations().cancel("no-such-message", null)
                  .map(none -> List.of(all, ops, nope, none)))))
            .compose(changed -> store.operations().message(accepted.id(), Integer.MAX_VALUE)
              .compose(detail -> claimAll(store, "ops").map(ops -> {
                context.verify(() -> {
                  assertEquals(List.of(new Changed(true, 1), new Changed(true, 0), new Changed(false, 0),
                    new Changed(false, 0)), changed);
                  assertEquals(Map.of("audit", DeliveryStatus.DELIVERED, "ci", DeliveryStatus.DELIVERING,
                    "ops", DeliveryStatus.CANCELLED), statuses(detail));
                  assertEquals(Map.of(), ops, "a cancelled delivery was claimed");
                });
                return null;
              })))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /**
   * A delivery whose node died during it stays "delivering" in the store; once its lease has ended an operator can
   * cancel or retry it, which matters when its backend is no longer configured and no lane would ever claim it.
   */
  @Test
  void cancelsAndRetriesADeliveryWhoseNodeDiedDuringItOnceItsLeaseHasEnded(Vertx vertx, VertxTestContext context) {
    open(vertx).compose(store -> store.accept(message("/hooks", null, T0, "x", "ci", "ops"))
        .compose(accepted -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 60_000)
          .compose(v -> store.claim("ops", "node-b", 10, Long.MAX_VALUE, true, 60_000))
          // Under way, its lease held: left alone.
          .compose(v -> store.operations().cancel(accepted.id(), "ci"))
          .compose(whileHeld -> store.operations().retry(accepted.id(), "ops").map(retried -> List.of(whileHeld, retried)))
          .compose(whileHeld -> store.accept(message("/hooks", null, T0, "y", "ci", "ops"))
            .compose(second -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 200)
              .compose(v -> store.claim("ops", "node-b", 10, Long.MAX_VALUE, true, 200))
              .compose(v -> vertx.timer(400))
              .compose(v -> store.operations().cancel(second.id(), "ci"))
              .compose(cancelled -> store.operations().retry(second.id(), "ops").map(retried -> List.of(cancelled, retried)))
              .compose(afterTheLease -> store.operations().message(second.id(), Integer.MAX_VALUE).map(detail -> {
                context.verify(() -> {
                  assertEquals(List.of(new Changed(true, 0), new Changed(true, 0)), whileHeld);
                  assertEquals(List.of(new Changed(true, 1), new Changed(true, 1)), afterTheLease);
                  assertEquals(Map.of("ci", DeliveryStatus.CANCELLED, "ops", DeliveryStatus.PENDING), statuses(detail));
                });
                return null;
              })))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** As for one message: a bulk retry of "delivering" ones takes those whose node died during them, never one under way. */
  @Test
  void aBulkRetryOfDeliveringOnesQueuesOnlyThoseWhoseLeaseHasEnded(Vertx vertx, VertxTestContext context) {
    open(vertx).compose(store -> store.accept(message("/hooks", null, T0, "held", "ci"))
        .compose(held -> store.claim("ci", "node-b", 10, Long.MAX_VALUE, true, 60_000)
          .compose(v -> store.accept(message("/hooks", null, T0.plusSeconds(1), "ended", "ops")))
          .compose(ended -> store.claim("ops", "node-b", 10, Long.MAX_VALUE, true, 200)
            .compose(v -> vertx.timer(400))
            .compose(v -> store.operations().retryAll(new MessageQuery(null, null, DeliveryStatus.DELIVERING, null, null, null)))
            .compose(queued -> store.operations().message(held.id(), Integer.MAX_VALUE)
              .compose(heldDetail -> store.operations().message(ended.id(), Integer.MAX_VALUE).map(endedDetail -> {
                context.verify(() -> {
                  assertEquals(1, queued);
                  assertEquals(Map.of("ci", DeliveryStatus.DELIVERING), statuses(heldDetail));
                  assertEquals(Map.of("ops", DeliveryStatus.PENDING), statuses(endedDetail));
                });
                return null;
              })))))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }
}
