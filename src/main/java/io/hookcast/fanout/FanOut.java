package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.hookcast.deadline.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hands a webhook to every backend's forwarders at once, one {@link Handoff} per attempt, and answers with the
 * composite of the per-backend results ({@link Gathering}), whose outcomes arrive at the ingress's
 * {@link ReplyInbox}. A backend's quick retries are made here, within its {@code timeoutMs}: the forwarder makes one
 * request per hand-off and says whether another is safe. The composite never fails: a backend whose forwarder cannot
 * be reached is reported as such, and the others are still delivered to.
 */
public final class FanOut {

  /**
   * Room for the forwarder's own 504 to arrive after the backend's deadline. The gathering only times out first
   * when the forwarder's node died with the webhook, so this bounds how long that can hold it.
   */
  private static final long REPLY_GRACE_MS = 500;
  private static final String NO_FORWARDER = "no forwarder";
  /** The waits before writing a hand-off again whose write failed: from 25 ms, doubling, at most a second. */
  private static final long FIRST_UNSENT_WAIT_MS = 25;
  private static final long MAX_UNSENT_WAIT_MS = 1_000;
  private static final String NO_REPLY = "no reply from the forwarder; the backend may or may not have received the webhook";

  private final Vertx vertx;
  private final ReplyInbox inbox;
  private final List<BackendConfig> backends;
  private final List<String> backendNames;
  private final List<MessageProducer<Handoff>> forwarders;
  private final QuickRetries[] retries;
  /**
   * One wait for all the route's backends, the longest of theirs: the results come together in one answer anyway,
   * and with one duration the route's deadlines fall due in the order they are set, under one timer.
   */
  private final long replyWaitMs;
  private final Deadlines deadlines;

  /** Must be created on the event loop of {@code inbox}, which it shares. */
  public FanOut(Vertx vertx, ReplyInbox inbox, List<BackendConfig> backends) {
    this.vertx = vertx;
    this.inbox = inbox;
    this.backends = List.copyOf(backends);
    this.backendNames = backends.stream().map(BackendConfig::name).toList();
    this.forwarders = backends.stream().map(backend -> vertx.eventBus().<Handoff>sender(Addresses.forwarders(backend))).toList();
    this.retries = backends.stream().map(backend -> new QuickRetries(backend.retry())).toArray(QuickRetries[]::new);
    this.replyWaitMs = backends.stream().mapToLong(BackendConfig::timeoutMs).max().orElse(0) + REPLY_GRACE_MS;
    this.deadlines = new Deadlines(vertx);
  }

  public List<String> backendNames() {
    return backendNames;
  }

  /**
   * Delivers to the backends whose place in {@link #backendNames()} is set in {@code wanted} ({@code null}: all);
   * the others are not contacted and have {@code null} for a result.
   */
  public Future<List<DeliveryResult>> deliver(Webhook webhook, boolean[] wanted) {
    int slots = backendNames.size();
    boolean any = false;
    for (int slot = 0; slot < slots && !any; slot++) {
      any = wants(wanted, slot);
    }
    if (!any) {
      return Future.succeededFuture(Arrays.asList(new DeliveryResult[slots]));
    }
    Gathering gathering = new Gathering(this, webhook, slots, wanted);
    gathering.expireAfter(deadlines, replyWaitMs);
    for (int slot = 0; slot < slots; slot++) {
      if (wants(wanted, slot)) {
        hand(gathering, slot, 1);
      }
    }
    return gathering.results();
  }

  static boolean wants(boolean[] wanted, int slot) {
    return wanted == null || wanted[slot];
  }

  ReplyInbox inbox() {
    return inbox;
  }

  /** When the backend of {@code slot} must have answered, from the start of {@code gathering}. */
  long deadlineNanos(Gathering gathering, int slot) {
    return gathering.startNanos() + TimeUnit.MILLISECONDS.toNanos(backends.get(slot).timeoutMs());
  }

  void hand(Gathering gathering, int slot, int attempt) {
    hand(gathering, slot, attempt, 0);
  }

  /**
   * A write that fails never reached a forwarder whole: Vert.x fails it when no forwarder is registered, when no
   * node could be chosen, or when the connection to the chosen node failed before the message was written (a node
   * just killed, which the cluster still lists for a few seconds). So it is handed again, as no attempt: at once,
   * then after growing waits, as the writes of other webhooks may take the next forwarders in turn, until the
   * cluster has dropped the dead node; with no forwarder at all, or no time left, the backend is answered at once.
   *
   * @param unsent writes of this attempt that failed so far
   */
  private void hand(Gathering gathering, int slot, int attempt, int unsent) {
    long leftMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos(gathering, slot) - System.nanoTime()));
    forwarders.get(slot).write(new Handoff(gathering.webhook(), inbox.address(), gathering.id(), slot, attempt, leftMs))
      .onFailure(failure -> {
        boolean noForwarder = failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS;
        long waitMs = unsent == 0 ? 0 : Math.min(MAX_UNSENT_WAIT_MS, FIRST_UNSENT_WAIT_MS << Math.min(unsent - 1, 10));
        if (noForwarder || TimeUnit.NANOSECONDS.toMillis(deadlineNanos(gathering, slot) - System.nanoTime()) <= waitMs) {
          gathering.arrived(slot, DeliveryResult.unanswered(new Outcome.Refused(Outcome.UNAVAILABLE, NO_FORWARDER), 0, null));
        } else if (waitMs == 0) {
          hand(gathering, slot, attempt, unsent + 1);
        } else {
          vertx.setTimer(waitMs, id -> hand(gathering, slot, attempt, unsent + 1));
        }
      });
  }

  /**
   * After attempt {@code attempt} of {@code slot} answered {@code result}: the wait before the next one, or -1 when
   * there is none (not retryable, attempts used up, or no room left before the backend's deadline).
   *
   * @param longestNanos the longest attempt of this backend so far, which the next one is expected to take at worst
   */
  long retryDelayMs(Gathering gathering, int slot, int attempt, DeliveryResult result, long longestNanos) {
    QuickRetries policy = retries[slot];
    if (!result.outcome().retryable() || attempt >= policy.maxAttempts()) {
      return -1;
    }
    long delayMs = policy.delayMs(attempt + 1, result.outcome().retryAfterMs());
    // The last attempt's result is the one reported, so a retry cut off by the deadline would turn the backend's
    // clear answer into a 504: one is started only with room for twice the longest attempt yet.
    long startBy = deadlineNanos(gathering, slot) - 2 * longestNanos;
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) < startBy ? delayMs : -1;
  }

  void later(long delayMs, Runnable action) {
    if (delayMs == 0) {
      action.run();
    } else {
      vertx.setTimer(delayMs, id -> action.run());
    }
  }

  /** What a backend whose forwarder never answered is reported as. */
  static DeliveryResult noReply(long startNanos) {
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    return DeliveryResult.unanswered(new Outcome.TimedOut(NO_REPLY), durationMs, null).withAttempts(0, durationMs);
  }
}
