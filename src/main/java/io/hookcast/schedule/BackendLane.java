package io.hookcast.schedule;

import io.hookcast.alert.Alert;
import io.hookcast.alert.Alerts;
import io.hookcast.bus.Addresses;
import io.hookcast.bus.AttemptOutcome;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.bus.Webhook;
import io.hookcast.config.AlertConfig;
import io.hookcast.config.BackendConfig;
import io.hookcast.deadline.Deadlines;
import io.hookcast.forward.OutcomeClassifier;
import io.hookcast.http.HookcastHeaders;
import io.hookcast.store.AttemptRecord;
import io.hookcast.store.ClaimedDelivery;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.DueDeliveries;
import io.hookcast.store.StoreMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The deliveries of one backend on this node: those this node accepts, leased to it in the accept's transaction, and
 * due ones it claims from the store; never more at once than the backend's forwarders can take (maxInFlight +
 * maxQueued), so that a backlog never floods it, and never more body bytes than the scheduler's {@link BodyBudget}
 * leaves. Sends each to the forwarders and records the outcome. Each attempt is one {@link Handoff}, as a sync route's are, answered at the scheduler's {@link ReplyInbox}. Runs on the scheduler's context, except {@link #reserve} and {@link #unreserve}, which the store calls.
 */
final class BackendLane {

  /** A claimed delivery waiting for the rate, since when (epoch ms). */
  private record Held(ClaimedDelivery delivery, long since) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
  /** Beyond the backend's timeoutMs, for the event bus and a forwarder on another node. */
  static final long REPLY_SLACK_MS = 1_000;
  /**
   * While no forwarder takes deliveries (circuit open, overloaded, none running): first and longest pause. Short,
   * because a refusing lane claims one delivery after each pause, not its room: a backend that came back is found
   * within a second of its circuit letting a probe through, and a long outage costs one claim a second.
   */
  private static final long MIN_PAUSE_MS = 250;
  private static final long MAX_PAUSE_MS = 1_000;
  private static final int RESPONSE_HEAD_CHARS = 256;
  private static final long NO_TIMER = -1;
  /** The shortest time between two claims of a lane. */
  private static final long CLAIM_GAP_MS = 10;
  /**
   * How often a lane whose last claim found nothing looks again for what it was not told of: deliveries other nodes
   * left due (their overflow, the leases of a node that died). What this node stores, retries or gives back is
   * claimed when it is due; an idle lane claiming at every poll would cost each backend a share of a core for nothing.
   */
  private static final long IDLE_CLAIM_MS = 1_000;
  /**
   * A record or release the store failed to write is written this many times in all, this far apart: unwritten, the
   * delivery would be made again once its lease ends, a delivered one included. Safe to repeat: a write is made only
   * while the lease it carries is still held, so one that did commit, or a late one, changes nothing. A stopping lane
   * (a reload, SIGTERM) writes again too; SIGTERM's close is bounded on its own.
   */
  private static final int WRITE_TRIES = 3;
  private static final long WRITE_RETRY_MS = 1_000;
  /** A rate lane's leases are this much longer, so that a delivery can wait for its turn. */
  private static final long HOLD_MS = 5_000;
  /** Why a delivery ended cancelled by its backend, as its history shows. */
  private static final String ABORTED = "cancelled by the backend (" + OutcomeClassifier.DELIVERY_HEADER + ": "
    + OutcomeClassifier.ABORT + ")";

  private final Vertx vertx;
  private final DeliveryStore store;
  private final StoreMetrics metrics;
  private final String nodeName;
  private final BackendConfig backend;
  /** To the backend's address, hashed from its settings: computed once, not per delivery. */
  private final MessageProducer<Handoff> forwarders;
  private final ReplyInbox inbox;
  private final Deadlines deadlines;
  private final RetrySchedule schedule;
  private final long leaseMs;
  private final long replyTimeoutMs;
  /** Claims wait until this much room is free (unless nothing is in flight): one claim per delivery would cost more than the deliveries. */
  private final int claimAtLeast;
  private final Runnable idle;
  /** Room left: taken by the store's {@link #reserve} and by claims, given back as deliveries settle. */
  private final AtomicInteger free;
  private final BodyBudget bodies;
  private int inFlight;
  private boolean claiming;
  private boolean moreDue;
  /** The last claim succeeded and took nothing. */
  private boolean foundNothing;
  private long lastClaimAt;
  /** When the earliest delivery this lane put back in the store is due; {@link Long#MAX_VALUE} for none. */
  private long ownDueAt = Long.MAX_VALUE;
  /** Read by the store's thread too ({@link #reserve}). */
  private volatile boolean stopped;
  private long pausedUntil;
  private long pauseMs = MIN_PAUSE_MS;
  /**
   * The backend's forwarders refused the last delivery sent (see {@link #giveBack}), and none has been attempted
   * since: accepts store their deliveries pending rather than hand them over, and claims take one at a time, a probe.
   * Read by the store's thread too ({@link #reserve}).
   */
  private volatile boolean refusing;
  private long lastStoreWarning;
  /** {@code null} when the backend has no {@code rate}: deliveries go as fast as its forwarders take them. */
  private final AdaptiveRate rate;
  private final BackendRates rates;
  /**
   * Deliveries this lane holds for the rate: claimed no more than it lets go within a second, and given back to the
   * store when a pause starts or one has waited {@link #holdLimitMs}, so that no lease runs out while one waits.
   */
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** How long a delivery may wait for the rate and still have its whole attempt within its lease. */
  private final long holdLimitMs;
  private boolean idled;
  /**
   * Whether the rate would send one more delivery within a second (not paused, fewer held than it lets go): read by
   * the store's thread in {@link #reserve}, so that accepts hand deliveries straight over only while they would not
   * wait long.
   */
  private volatile boolean roomInRate = true;
  private long heldTimer = NO_TIMER;
  private long claimTimer = NO_TIMER;
  private long nextClaimAt;
  private final Alerts alerts;

  /**
   * @param leaseMs  the configured lease; lengthened to outlast an attempt and the recording of its outcome, so that
   *                 no live attempt is taken over: an attempt is bounded (the backend's timeoutMs), so the lease never
   *                 needs renewing while one runs
   * @param recordMs the longest the recording of an outcome may take (store.timeoutMs)
   * @param idle    called when the lane has nothing in flight after {@link #stop()}
   * @param rates   where the lane's rate is shown to the operator API, as the gauge is to metrics, and where a lane
   *                that replaces another (a reload) finds the rate that one had reached
   */
  BackendLane(Vertx vertx, DeliveryStore store, StoreMetrics metrics, String nodeName, BackendConfig backend,
              RetrySchedule schedule, long leaseMs, long recordMs, BodyBudget bodies, ReplyInbox inbox, Deadlines deadlines,
              Runnable idle, BackendRates rates, Alerts alerts) {
    this.alerts = alerts;
    this.vertx = vertx;
    this.store = store;
    this.metrics = metrics;
    this.nodeName = nodeName;
    this.backend = backend;
    this.forwarders = vertx.eventBus().sender(Addresses.forwarders(backend));
    this.inbox = inbox;
    this.deadlines = deadlines;
    this.schedule = schedule;
    this.replyTimeoutMs = backend.timeoutMs() + REPLY_SLACK_MS;
    long attemptMs = attemptMs(backend.timeoutMs(), recordMs);
    this.leaseMs = Math.max(leaseMs, attemptMs + (backend.rate() == null ? 0 : HOLD_MS));
    this.holdLimitMs = this.leaseMs - attemptMs;
    int capacity = backend.maxInFlight() + backend.maxQueued();
    this.free = new AtomicInteger(capacity);
    // Within what one claim takes: above it, a lane with room for thousands would never claim while one was under way.
    this.claimAtLeast = Math.max(1, Math.min(capacity / 8, DeliveryStore.MAX_CLAIM));
    this.bodies = bodies;
    this.idle = idle;
    this.rate = backend.rate() == null ? null
      : new AdaptiveRate(backend.rate(), rates.learnt(backend), System.currentTimeMillis());
    this.rates = rates;
    if (rate != null) {
      metrics.rate(backend.name(), rate.perSecond());
      rates.update(backend, rate);
    }
  }

  /**
   * Room for one delivery accepted on this node, with a body of {@code bytes}, leased to it straight away; null when
   * the lane is full or stopping, or the body does not fit the budget.
   */
  DueDeliveries.Slot reserve(long bytes) {
    if (refusing || (rate != null && !roomInRate)) {
      // Stored pending instead, for the lane to claim when its backend takes deliveries or its rate has room.
      return null;
    }
    int room;
    do {
      room = free.get();
      // The last slots are the claims': taken by new webhooks as fast as deliveries settle, they would leave what waits
      // in the store (retries, overflow, every delivery of an ordered route) unclaimed for as long as new ones come.
      if (room <= claimAtLeast || stopped) {
        return null;
      }
    } while (!free.compareAndSet(room, room - 1));
    if (!bodies.tryTake(bytes)) {
      free.incrementAndGet();
      return null;
    }
    return new DueDeliveries.Slot(backend.name(), nodeName, leaseMs, bytes);
  }

  void unreserve(DueDeliveries.Slot slot) {
    bodies.release(slot.bytes());
    free.incrementAndGet();
  }

  /** A delivery this node accepted, leased to this lane in the accept's transaction. */
  void take(ClaimedDelivery delivery) {
    if (stopped) {
      // The scheduler is being replaced: the delivery is due again at once, for the next one to claim; in flight
      // until written, so that the store is not closed (SIGTERM) before it is.
      release(delivery, System.currentTimeMillis());
      return;
    }
    send(delivery);
  }

  /** The store has deliveries due now for this backend: they are claimed as soon as there is room. */
  void due() {
    moreDue = true;
    pump();
  }

  /** Claims what is due, if there is room. Called on a timer, on a nudge, and as deliveries settle while more are due. */
  void pump() {
    long now = System.currentTimeMillis();
    if (stopped || claiming || now < pausedUntil) {
      return;
    }
    if (now < nextClaimAt) {
      // Every accept and every recorded keyed delivery asks for a claim; one claim every few ms answers them all.
      if (claimTimer == NO_TIMER) {
        claimTimer = vertx.setTimer(nextClaimAt - now, id -> {
          claimTimer = NO_TIMER;
          pump();
        });
      }
      return;
    }
    if (refusing && inFlight > 0) {
      // A probe is on its way; its answer lifts the pause or extends it.
      return;
    }
    int room = Math.min(refusing ? 1 : DeliveryStore.MAX_CLAIM,
      rate == null ? free.get() : Math.min(free.get(), rate.allowance(System.currentTimeMillis()) - held.size()));
    if (room <= 0 || (room < claimAtLeast && inFlight > 0 && rate == null)) {
      return;
    }
    if (foundNothing && !moreDue && now < ownDueAt && now - lastClaimAt < IDLE_CLAIM_MS) {
      return;
    }
    BodyBudget.Claimable claimable = bodies.setAside();
    if (claimable.bytes() == 0) {
      return;
    }
    if (now >= ownDueAt) {
      ownDueAt = Long.MAX_VALUE;
    }
    // The room is the claim's until it answers; accepts meanwhile find none and are stored pending, to be claimed:
    // their nudges, and the settling of an ordered delivery, set moreDue again while it is on its way.
    moreDue = false;
    free.addAndGet(-room);
    claiming = true;
    lastClaimAt = now;
    nextClaimAt = now + CLAIM_GAP_MS;
    store.claim(backend.name(), nodeName, room, claimable.bytes(), claimable.anySize(), leaseMs).onComplete(ar -> {
      claiming = false;
      List<ClaimedDelivery> claimed = ar.succeeded() ? ar.result() : List.of();
      free.addAndGet(room - claimed.size());
      long claimedBytes = claimed.stream().mapToLong(delivery -> delivery.body().length()).sum();
      bodies.claimed(claimable, claimedBytes);
      if (ar.failed()) {
        storeFailed("claiming deliveries", ar.cause());
      }
      if (stopped) {
        // Stopped while the claim was on its way: what it took is due again at once, for the next scheduler.
        claimed.forEach(delivery -> release(delivery, System.currentTimeMillis()));
        maybeIdle();
        return;
      }
      if (ar.failed()) {
        return;
      }
      boolean full = claimed.size() == room;
      // Cut short by the body budget (it took at least half of what was set aside), more may be due: the next
      // delivery to settle claims again. Only then: under load something is always held, and claiming again after
      // every settle would keep an empty claim on the store's one connection, ahead of the accepts.
      moreDue |= full || (!claimed.isEmpty() && claimedBytes * 2 >= claimable.bytes());
      foundNothing = claimed.isEmpty() && !moreDue;
      claimed.forEach(this::send);
      if (full) {
        pump();
      }
    });
  }

  /** The longest an attempt takes from its hand-off to its outcome's record, when the store writes it at the first try. */
  static long attemptMs(long timeoutMs, long recordMs) {
    return timeoutMs + REPLY_SLACK_MS + recordMs + REPLY_SLACK_MS;
  }

  void stop() {
    stopped = true;
    if (claimTimer != NO_TIMER) {
      vertx.cancelTimer(claimTimer);
      claimTimer = NO_TIMER;
    }
    giveBackHeld(System.currentTimeMillis());
    maybeIdle();
  }

  /** Once, when stopped with nothing in flight and no claim on its way. */
  private void maybeIdle() {
    if (stopped && inFlight == 0 && !claiming && !idled) {
      idled = true;
      idle.run();
    }
  }

  private void send(ClaimedDelivery delivery) {
    if (rate == null) {
      dispatch(delivery);
    } else {
      held.addLast(new Held(delivery, System.currentTimeMillis()));
      sendHeld();
    }
  }

  /**
   * Sends what the rate lets go now; a timer sends the rest when it does. A pause (the backend's Retry-After) gives
   * them all back, and one held past its limit goes back on its own.
   */
  private void sendHeld() {
    if (heldTimer != NO_TIMER) {
      // Waiting for a token: what was just held counts against the room accepts see.
      updateRoomInRate();
      return;
    }
    while (!held.isEmpty()) {
      long now = System.currentTimeMillis();
      if (rate.pausedUntil() > now) {
        giveBackHeld(rate.pausedUntil());
        updateRoomInRate();
        return;
      }
      if (now - held.peekFirst().since() > holdLimitMs) {
        release(held.pollFirst().delivery(), now);
        continue;
      }
      long waitMs = rate.take(now);
      if (waitMs > 0) {
        heldTimer = vertx.setTimer(waitMs, id -> {
          heldTimer = NO_TIMER;
          sendHeld();
        });
        updateRoomInRate();
        return;
      }
      dispatch(held.pollFirst().delivery());
    }
    updateRoomInRate();
  }

  private void updateRoomInRate() {
    long now = System.currentTimeMillis();
    roomInRate = rate.pausedUntil() <= now && held.size() < rate.allowance(now);
  }

  /** A claimed delivery goes back to the store unattempted, due at {@code dueAt}. */
  private void release(ClaimedDelivery delivery, long dueAt) {
    inFlight++;
    dueAgainAt(dueAt);
    afterSettled(delivery, written(() -> store.release(delivery, Instant.ofEpochMilli(dueAt))));
  }

  /**
   * Deliveries held for the rate go back to the store, due at {@code dueAt}: waiting is not an attempt, and a pause
   * for the backend's Retry-After may outlast their leases.
   */
  private void giveBackHeld(long dueAt) {
    if (heldTimer != NO_TIMER) {
      vertx.cancelTimer(heldTimer);
      heldTimer = NO_TIMER;
    }
    while (!held.isEmpty()) {
      release(held.pollFirst().delivery(), dueAt);
    }
  }

  private void dispatch(ClaimedDelivery delivery) {
    inFlight++;
    if (endedTheProcessTwice(delivery)) {
      metrics.attempt(backend.name(), AttemptOutcome.UNREACHABLE);
      afterSettled(delivery, dead(delivery, new AttemptRecord(Instant.now(), 0, null, AttemptOutcome.UNREACHABLE,
        "attempts " + (delivery.attempt() - 2) + " and " + (delivery.attempt() - 1) + " never ended: the process ended during"
          + " both; not tried again", null, nodeName, delivery.manual())));
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(delivery.headers())
      .set(HookcastHeaders.MESSAGE_ID, delivery.messageId())
      .set(HookcastHeaders.ATTEMPT, Integer.toString(delivery.attempt()));
    Webhook webhook = new Webhook(delivery.messageId(), delivery.method(), delivery.uri(), headers, delivery.body(),
      delivery.traceParent());
    afterSettled(delivery, new Attempt(delivery).hand(webhook));
  }

  /**
   * One attempt of a delivery, waiting at the inbox for its outcome: the forwarder's, or none within the reply
   * timeout, or at once when the hand-off reached no forwarder. Whichever comes first settles it.
   */
  private final class Attempt implements ReplyInbox.Waiting {
    private final ClaimedDelivery delivery;
    private final Instant started = Instant.now();
    private final long start = System.nanoTime();
    private final Promise<Boolean> settled = Promise.promise();
    private final long id;
    private final Deadlines.Deadline timeout;
    private boolean done;

    Attempt(ClaimedDelivery delivery) {
      this.delivery = delivery;
      this.id = inbox.add(this);
      this.timeout = deadlines.after(replyTimeoutMs, () -> end(() -> timedOut(delivery, started, start)));
    }

    Future<Boolean> hand(Webhook webhook) {
      // A hand-off whose write fails reached no forwarder whole, so none can have acted on it: none is registered, the
      // cluster could not say where one is, or the node chosen could not be reached or closed the connection before the
      // hand-off's last byte was written (a node just killed is chosen until the cluster drops it, seconds later).
      // Vert.x fails a write only in these cases, never once it was written. So it is given back at once, not an
      // attempt, rather than left to time out as one; the lane then probes, and its next hand-off may go to another
      // node.
      forwarders.write(new Handoff(webhook, inbox.address(), id, 0, delivery.attempt(), backend.timeoutMs()))
        .onFailure(failure -> end(() -> giveBack(delivery)));
      return settled.future();
    }

    @Override
    public void arrived(int slot, DeliveryResult result) {
      end(() -> settle(delivery, started, start, result));
    }

    private void end(Supplier<Future<Boolean>> outcome) {
      if (done) {
        return;
      }
      done = true;
      timeout.cancel();
      inbox.remove(id);
      outcome.get().onComplete(settled);
    }
  }

  private void afterSettled(ClaimedDelivery delivery, Future<Boolean> settled) {
    settled.onComplete(ar -> {
      if (ar.failed()) {
        storeFailed("writing what became of message " + delivery.messageId() + " (an attempt, or its release)", ar.cause());
      }
      inFlight--;
      bodies.release(delivery.body().length());
      free.incrementAndGet();
      // The next delivery of its key may be claimed now that this one is recorded.
      moreDue |= delivery.ordered();
      if (stopped) {
        maybeIdle();
      } else if (moreDue) {
        pump();
      }
    });
  }

  private Future<Boolean> settle(ClaimedDelivery delivery, Instant started, long start, DeliveryResult result) {
    if (!result.outcome().attempted()) {
      return giveBack(delivery);
    }
    // An attempt no request came of (a forwarder node that could not read the hand-off) says nothing of the backend.
    if (result.attempts() > 0) {
      pauseMs = MIN_PAUSE_MS;
      if (refusing) {
        // The backend took one again: what waited during the pause is claimed at once, in full.
        refusing = false;
        pausedUntil = 0;
        moreDue = true;
      }
      if (rate != null) {
        adapt(result);
      }
    }
    AttemptOutcome outcome = AttemptOutcome.of(result.outcome());
    String head = result.textHead(RESPONSE_HEAD_CHARS);
    if (result.outcome() instanceof Outcome.Aborted) {
      AttemptRecord attempt = new AttemptRecord(started, elapsedMs(start), result.status(), outcome, ABORTED, head,
        result.node(), delivery.manual());
      metrics.attempt(backend.name(), outcome);
      return written(() -> store.record(delivery, attempt, DeliveryStatus.CANCELLED, null));
    }
    return finish(delivery, new AttemptRecord(started, elapsedMs(start), result.error() == null ? result.status() : null,
      outcome, result.error(), head, result.node(), delivery.manual()), result.outcome().retryAfterMs());
  }

  private void adapt(DeliveryResult result) {
    long now = System.currentTimeMillis();
    String change = rate.settled(result.outcome(), result.durationMs(), now);
    metrics.rate(backend.name(), rate.perSecond());
    rates.update(backend, rate);
    if (change != null) {
      LOG.info("async deliveries to '" + backend.name() + "' on node " + nodeName + ": " + change);
    }
    if (rate.pausedUntil() > now && !held.isEmpty()) {
      giveBackHeld(rate.pausedUntil());
    }
    updateRoomInRate();
  }

  /**
   * No outcome within the reply timeout, though the hand-off was written: a forwarder may have made the request, so
   * it counts as an attempt.
   */
  private Future<Boolean> timedOut(ClaimedDelivery delivery, Instant started, long start) {
    return finish(delivery, new AttemptRecord(started, elapsedMs(start), null, AttemptOutcome.TIMED_OUT,
      "no answer from the forwarders within " + replyTimeoutMs + " ms", null, null, delivery.manual()), -1);
  }

  /**
   * Whether its last two attempts were claimed and never recorded, the process ending during both (a kill may land in
   * one; a webhook that crashes the process does so each time), and no more are due: it was past its schedule or an
   * operator asked for them. So one such attempt is made again, and a kill during the last one loses no webhook, but
   * a webhook that crashes the process is not sent again forever, also when an operator's retry sent it. Counted from
   * the attempts recorded, not from the schedule alone: a schedule shortened by a reload is no crash.
   */
  private boolean endedTheProcessTwice(ClaimedDelivery delivery) {
    int neverEnded = delivery.attempt() - 1 - delivery.recorded();
    return neverEnded >= 2 && (delivery.manual() || delivery.attempt() > schedule.maxAttempts() + 1);
  }

  /**
   * A failed attempt past the end of the schedule is the last: so an operator's retry of a dead delivery (attempt n+1)
   * that fails is dead again at once, to be retried again by hand.
   *
   * @param retryAfterMs the wait the backend asked for, or -1: the next attempt waits for the longer of it and the schedule
   */
  private Future<Boolean> finish(ClaimedDelivery delivery, AttemptRecord attempt, long retryAfterMs) {
    metrics.attempt(backend.name(), attempt.outcome());
    if (attempt.outcome() == AttemptOutcome.DELIVERED) {
      return written(() -> store.record(delivery, attempt, DeliveryStatus.DELIVERED, null));
    }
    OptionalLong wait = schedule.waitAfter(delivery.attempt(), ThreadLocalRandom.current());
    if (wait.isPresent()) {
      long dueAt = System.currentTimeMillis() + Math.max(wait.getAsLong(), retryAfterMs);
      dueAgainAt(dueAt);
      return written(() -> store.record(delivery, attempt, DeliveryStatus.PENDING, Instant.ofEpochMilli(dueAt)));
    }
    return dead(delivery, attempt);
  }

  private Future<Boolean> dead(ClaimedDelivery delivery, AttemptRecord attempt) {
    return written(() -> store.record(delivery, attempt, DeliveryStatus.DEAD, null)).onSuccess(recorded -> {
      if (recorded) {
        metrics.dead(backend.name());
        String line = "message " + delivery.messageId() + " to backend '" + backend.name() + "' is dead after "
          + delivery.attempt() + " attempts; last: " + (attempt.status() != null ? attempt.status() : attempt.error());
        LOG.warn(line);
        alerts.raise(new Alert(AlertConfig.DEAD, backend.name(), nodeName, Instant.now(), line,
          "/api/messages/" + delivery.messageId(), new JsonObject().put("messageId", delivery.messageId())
            .put("attempts", delivery.attempt()).put("lastStatus", attempt.status()).put("lastError", attempt.error())));
      }
    });
  }

  /** Nothing reached the backend: the attempt does not count; this lane waits before it claims again. */
  private Future<Boolean> giveBack(ClaimedDelivery delivery) {
    long now = System.currentTimeMillis();
    // Every delivery refused by the same closed door pauses the lane once, not once each.
    refusing = true;
    if (now >= pausedUntil) {
      pausedUntil = now + pauseMs;
      pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
    }
    dueAgainAt(pausedUntil);
    return written(() -> store.release(delivery, Instant.ofEpochMilli(pausedUntil)));
  }

  /** {@code write} (a record or a release), made again should the store fail it: see {@link #WRITE_TRIES}. */
  private Future<Boolean> written(Supplier<Future<Boolean>> write) {
    return written(write, 1);
  }

  private Future<Boolean> written(Supplier<Future<Boolean>> write, int tries) {
    return write.get().recover(failure -> {
      if (tries == WRITE_TRIES) {
        return Future.failedFuture(failure);
      }
      storeFailed("writing an outcome (written again in " + WRITE_RETRY_MS + " ms)", failure);
      return vertx.timer(WRITE_RETRY_MS).compose(v -> written(write, tries + 1));
    });
  }

  /** A delivery this lane puts back in the store is due at {@code dueAt}: an idle lane claims then, not at its next look. */
  private void dueAgainAt(long dueAt) {
    ownDueAt = Math.min(ownDueAt, dueAt);
  }

  private void storeFailed(String what, Throwable cause) {
    long now = System.currentTimeMillis();
    // One line per lane every few seconds: a store that is down would otherwise log at every poll.
    if (now - lastStoreWarning > 5_000) {
      lastStoreWarning = now;
      LOG.warn("async deliveries to '" + backend.name() + "': the store failed " + what + ": " + cause);
    }
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
