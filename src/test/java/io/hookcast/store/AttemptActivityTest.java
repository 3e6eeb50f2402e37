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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Attempts counted per backend, minute and outcome, for the operator's chart and success rates. */
abstract class AttemptActivityTest extends OperationsTestBase {

  @Test
  void countsAttemptsSinceAnInstantPerBackendMinuteAndOutcome(Vertx vertx, VertxTestContext context) {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    Instant next = minute.plusSeconds(60);
    // Per message (one backend each): when its one attempt started and how it ended.
    List<Object[]> seeded = List.of(
      new Object[] {"ci", minute.minusSeconds(1), AttemptOutcome.DELIVERED, 200},
      new Object[] {"ci", minute, AttemptOutcome.DELIVERED, 200},
      new Object[] {"ci", minute.plusSeconds(59).plusMillis(999), AttemptOutcome.DELIVERED, 204},
      new Object[] {"ci", minute.plusSeconds(30), AttemptOutcome.REJECTED, 500},
      new Object[] {"ci", next, AttemptOutcome.UNREACHABLE, null},
      new Object[] {"audit", next.plusSeconds(1), AttemptOutcome.TIMED_OUT, null},
      new Object[] {"audit", next.plusSeconds(2), AttemptOutcome.TIMED_OUT, null});
    List<NewMessage> messages = new ArrayList<>();
    seeded.forEach(s -> messages.add(message("/hooks", null, minute, "m" + messages.size(), (String) s[0])));
    open(vertx).compose(store -> acceptAll(store, messages)
        .compose(ids -> claimAll(store, "ci").compose(ci -> claimAll(store, "audit").compose(audit -> {
          List<Future<Boolean>> records = new ArrayList<>();
          for (int i = 0; i < seeded.size(); i++) {
            Object[] s = seeded.get(i);
            Map<String, ClaimedDelivery> claimed = s[0].equals("ci") ? ci : audit;
            records.add(store.record(claimed.get(ids.get(i)), attempt((Instant) s[1], (AttemptOutcome) s[2], (Integer) s[3],
              false), DeliveryStatus.DELIVERED, null));
          }
          return Future.all(records);
        })))
        .compose(v -> store.operations().activity(minute))
        .compose(counts -> store.operations().activity(Instant.now()).map(none -> {
          context.verify(() -> {
            assertEquals(Set.of(
              new ActivityCount("ci", minute, AttemptOutcome.DELIVERED, 2),
              new ActivityCount("ci", minute, AttemptOutcome.REJECTED, 1),
              new ActivityCount("ci", next, AttemptOutcome.UNREACHABLE, 1),
              new ActivityCount("audit", next, AttemptOutcome.TIMED_OUT, 2)), Set.copyOf(counts));
            assertEquals(4, counts.size());
            for (int i = 1; i < counts.size(); i++) {
              assertFalse(counts.get(i).minute().isBefore(counts.get(i - 1).minute()), "not oldest first: " + counts);
            }
            assertEquals(List.of(), none);
          });
          return null;
        }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }

  /** Counted per node too (so that nodes sharing a store never wait for each other's counts), and summed here. */
  @Test
  void aPurgeForgetsTheCountsOfTheMinutesBeforeItsCutoffAndOnlyThose(Vertx vertx, VertxTestContext context) {
    Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(5, ChronoUnit.MINUTES);
    Instant later = minute.plus(3, ChronoUnit.MINUTES);
    List<NewMessage> messages = List.of(message("/hooks", null, minute, "early", "ci"),
      message("/hooks", null, minute, "late", "ci"), message("/hooks", null, minute, "late elsewhere", "ci"));
    AttemptRecord elsewhere = new AttemptRecord(later.plusSeconds(1), 7, 200, AttemptOutcome.DELIVERED, null, "answer 200",
      "node-b", false);
    open(vertx).compose(store -> acceptAll(store, messages)
        .compose(ids -> claimAll(store, "ci").compose(ci -> Future.all(
          store.record(ci.get(ids.get(0)), attempt(minute, AttemptOutcome.DELIVERED, 200, false), DeliveryStatus.DELIVERED, null),
          store.record(ci.get(ids.get(1)), attempt(later, AttemptOutcome.DELIVERED, 200, false), DeliveryStatus.DELIVERED, null),
          store.record(ci.get(ids.get(2)), elsewhere, DeliveryStatus.DELIVERED, null))))
        .compose(v -> store.purge(later))
        .compose(purged -> store.operations().activity(minute).map(counts -> {
          context.verify(() -> assertEquals(List.of(new ActivityCount("ci", later, AttemptOutcome.DELIVERED, 2)), counts));
          return null;
        }))
        .eventually(store::close))
      .onComplete(context.succeedingThenComplete());
  }
}
