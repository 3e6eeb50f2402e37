package io.hookcast.schedule;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.hookcast.metrics.StoreMetrics;
import io.hookcast.store.AttemptOutcome;
import io.hookcast.store.AttemptRecord;
import io.hookcast.store.ClaimedDelivery;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.DeliveryStore;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The deliveries of one backend on this node: claims due ones from the store, never more than the backend's
 * forwarders can take (maxInFlight + maxQueued) so that a backlog never floods it, sends each to the forwarders as
 * sync mode does, and records the outcome. Runs on the scheduler's context only.
 */
final class BackendLane {

  private static final Logger LOG = System.getLogger(DeliveryScheduler.class.getName());
  /** Beyond the backend's timeoutMs, for the event bus and a forwarder on another node. */
  static final long REPLY_SLACK_MS = 1_000;
  /** While no forwarder takes deliveries (circuit open, overloaded, none running): first and longest pause. */
  private static final long MIN_PAUSE_MS = 500;
  private static final long MAX_PAUSE_MS = 5_000;
  private static final int RESPONSE_HEAD_CHARS = 256;

  private final Vertx vertx;
  private final DeliveryStore store;
  private final StoreMetrics metrics;
  private final String nodeName;
  private final BackendConfig backend;
  /** Hashed from the backend's settings: computed once, not per delivery. */
  private final String address;
  private final RetrySchedule schedule;
  private final long leaseMs;
  private final long replyTimeoutMs;
  private final int capacity;
  private final Runnable idle;
  private int inFlight;
  private boolean claiming;
  private boolean moreDue;
  private boolean stopped;
  private long pausedUntil;
  private long pauseMs = MIN_PAUSE_MS;
  private long lastStoreWarning;

  /**
   * @param leaseMs the configured lease; lengthened to outlast an attempt, so that no live attempt is taken over
   * @param idle    called when the lane has nothing in flight after {@link #stop()}
   */
  BackendLane(Vertx vertx, DeliveryStore store, StoreMetrics metrics, String nodeName, BackendConfig backend,
              RetrySchedule schedule, long leaseMs, Runnable idle) {
    this.vertx = vertx;
    this.store = store;
    this.metrics = metrics;
    this.nodeName = nodeName;
    this.backend = backend;
    this.address = Addresses.deliver(backend);
    this.schedule = schedule;
    this.replyTimeoutMs = backend.timeoutMs() + REPLY_SLACK_MS;
    this.leaseMs = Math.max(leaseMs, replyTimeoutMs + REPLY_SLACK_MS);
    this.capacity = backend.maxInFlight() + backend.maxQueued();
    this.idle = idle;
  }

  String name() {
    return backend.name();
  }

  int inFlight() {
    return inFlight;
  }

  /** Claims what is due, if there is room. Called on a timer, on a nudge, and when a full claim's work frees room. */
  void pump() {
    int room = capacity - inFlight;
    if (stopped || claiming || room <= 0 || System.currentTimeMillis() < pausedUntil) {
      return;
    }
    claiming = true;
    store.claim(backend.name(), nodeName, room, leaseMs).onComplete(ar -> {
      claiming = false;
      if (ar.failed()) {
        storeFailed("claiming deliveries", ar.cause());
        return;
      }
      List<ClaimedDelivery> claimed = ar.result();
      moreDue = claimed.size() == room;
      claimed.forEach(this::send);
      if (moreDue) {
        pump();
      }
    });
  }

  void stop() {
    stopped = true;
    if (inFlight == 0) {
      idle.run();
    }
  }

  private void send(ClaimedDelivery delivery) {
    inFlight++;
    if (delivery.attempt() > schedule.maxAttempts() && !delivery.manual()) {
      // Its last scheduled attempt was claimed and never recorded: the process ended during it (a webhook that
      // crashes it would do so again), so it is not made again.
      afterSettled(delivery, finish(delivery, new AttemptRecord(Instant.now(), 0, null, AttemptOutcome.UNREACHABLE,
        "attempt " + (delivery.attempt() - 1) + " did not finish: the process ended during it; not tried again", null, nodeName,
        false), -1));
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(delivery.headers())
      .set(DeliveryScheduler.MESSAGE_ID_HEADER, delivery.messageId())
      .set(DeliveryScheduler.ATTEMPT_HEADER, Integer.toString(delivery.attempt()));
    Webhook webhook = new Webhook(delivery.messageId(), delivery.method(), delivery.uri(), headers, delivery.body());
    Instant started = Instant.now();
    long start = System.nanoTime();
    Future<Boolean> settled = vertx.eventBus().<DeliveryResult>request(address, webhook,
        new DeliveryOptions().setSendTimeout(replyTimeoutMs))
      .compose(reply -> settle(delivery, started, start, reply.body()), failure -> settle(delivery, started, start, failure));
    afterSettled(delivery, settled);
  }

  private void afterSettled(ClaimedDelivery delivery, Future<Boolean> settled) {
    settled.onComplete(ar -> {
      if (ar.failed()) {
        storeFailed("recording an attempt of message " + delivery.messageId(), ar.cause());
      }
      inFlight--;
      if (stopped && inFlight == 0) {
        idle.run();
      } else if (moreDue) {
        pump();
      }
    });
  }

  private Future<Boolean> settle(ClaimedDelivery delivery, Instant started, long start, DeliveryResult result) {
    if (AttemptResults.refused(result)) {
      return giveBack(delivery);
    }
    pauseMs = MIN_PAUSE_MS;
    AttemptOutcome outcome = AttemptResults.outcome(result);
    String head = result.body() == null || result.body().length() <= RESPONSE_HEAD_CHARS
      ? result.body() : result.body().substring(0, RESPONSE_HEAD_CHARS);
    return finish(delivery, new AttemptRecord(started, elapsedMs(start), result.error() == null ? result.status() : null,
      outcome, result.error(), head, result.node(), delivery.manual()), result.retryAfterMs());
  }

  private Future<Boolean> settle(ClaimedDelivery delivery, Instant started, long start, Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return giveBack(delivery);
    }
    boolean timedOut = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.TIMEOUT;
    String error = timedOut ? "no answer from the forwarders within " + replyTimeoutMs + " ms" : "delivery failed: " + failure;
    return finish(delivery, new AttemptRecord(started, elapsedMs(start), null,
      timedOut ? AttemptOutcome.TIMED_OUT : AttemptOutcome.UNREACHABLE, error, null, null, delivery.manual()), -1);
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
      return store.record(delivery, attempt, DeliveryStatus.DELIVERED, null);
    }
    OptionalLong wait = schedule.waitAfter(delivery.attempt(), ThreadLocalRandom.current());
    if (wait.isPresent()) {
      return store.record(delivery, attempt, DeliveryStatus.PENDING, Instant.now().plusMillis(Math.max(wait.getAsLong(), retryAfterMs)));
    }
    return store.record(delivery, attempt, DeliveryStatus.DEAD, null).onSuccess(recorded -> {
      if (recorded) {
        metrics.dead(backend.name());
        warn("message " + delivery.messageId() + " to backend '" + backend.name() + "' is dead after "
          + delivery.attempt() + " attempts; last: " + (attempt.status() != null ? attempt.status() : attempt.error()));
      }
    });
  }

  /** Nothing reached the backend: the attempt does not count; this lane waits before it claims again. */
  private Future<Boolean> giveBack(ClaimedDelivery delivery) {
    long now = System.currentTimeMillis();
    // Every delivery refused by the same closed door pauses the lane once, not once each.
    if (now >= pausedUntil) {
      pausedUntil = now + pauseMs;
      pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
    }
    return store.release(delivery, Instant.ofEpochMilli(pausedUntil));
  }

  private void storeFailed(String what, Throwable cause) {
    long now = System.currentTimeMillis();
    // One line per lane every few seconds: a store that is down would otherwise log at every poll.
    if (now - lastStoreWarning > 5_000) {
      lastStoreWarning = now;
      warn("async deliveries to '" + backend.name() + "': the store failed " + what + ": " + cause);
    }
  }

  /** Log handlers write synchronously: lines go out from a worker thread, never from the lane's event loop. */
  private void warn(String line) {
    vertx.executeBlocking(() -> {
      LOG.log(Level.WARNING, line);
      return null;
    }, false);
  }

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
