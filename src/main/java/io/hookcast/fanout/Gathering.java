package io.hookcast.fanout;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.bus.Webhook;
import io.hookcast.deadline.Deadlines;
import io.hookcast.deadline.Deadlines.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One webhook's delivery to its route's backends: each backend's result completes a future of its own, and the
 * answer is their composite ({@link Future#all}). A backend's outcomes arrive at the {@link ReplyInbox}; a retryable
 * one is handed again while its deadline leaves room ({@link FanOut#retryDelayMs}), and the last attempt's result is
 * the backend's, with the requests of every attempt counted. At the gathering's deadline the backends still without a
 * result are reported as unanswered (the forwarder's node died with the webhook, or the hand-off was lost).
 */
final class Gathering implements ReplyInbox.Waiting {

  private final FanOut fanOut;
  private final Webhook webhook;
  /** {@code null} for a backend not handed the webhook. */
  private final Promise<DeliveryResult>[] backends;
  private final int[] attempts;
  private final int[] requests;
  private final long[] handedNanos;
  private final long[] longestNanos;
  /** The result of each backend's last request that reached it, for when a retry is refused before sending. */
  private final DeliveryResult[] lastSent;
  private final long startNanos;
  private final long id;
  private int awaited;
  private Deadline deadline;

  @SuppressWarnings("unchecked")
  Gathering(FanOut fanOut, Webhook webhook, int slots, boolean[] wanted) {
    this.fanOut = fanOut;
    this.webhook = webhook;
    this.backends = new Promise[slots];
    this.attempts = new int[slots];
    this.requests = new int[slots];
    this.handedNanos = new long[slots];
    this.longestNanos = new long[slots];
    this.lastSent = new DeliveryResult[slots];
    this.startNanos = System.nanoTime();
    for (int slot = 0; slot < slots; slot++) {
      if (FanOut.wants(wanted, slot)) {
        backends[slot] = Promise.promise();
        attempts[slot] = 1;
        handedNanos[slot] = startNanos;
        awaited++;
      }
    }
    this.id = fanOut.inbox().add(this);
  }

  void expireAfter(Deadlines deadlines, long deadlineMs) {
    this.deadline = deadlines.after(deadlineMs, this::expire);
  }

  long id() {
    return id;
  }

  Webhook webhook() {
    return webhook;
  }

  long startNanos() {
    return startNanos;
  }

  /** Every backend's result in route order, {@code null} for those not handed the webhook; never fails. */
  Future<List<DeliveryResult>> results() {
    List<Future<DeliveryResult>> each = new ArrayList<>(backends.length);
    for (Promise<DeliveryResult> backend : backends) {
      each.add(backend == null ? Future.succeededFuture() : backend.future());
    }
    return Future.all(each).map(all -> all.list());
  }

  /** An outcome of the attempt under way for {@code slot}; anything else is ignored. */
  @Override
  public void arrived(int slot, DeliveryResult result) {
    if (slot < 0 || slot >= backends.length || backends[slot] == null || backends[slot].future().isComplete()) {
      return;
    }
    long now = System.nanoTime();
    longestNanos[slot] = Math.max(longestNanos[slot], now - handedNanos[slot]);
    requests[slot] += result.attempts();
    if (result.attempts() > 0) {
      lastSent[slot] = result;
    }
    long delayMs = fanOut.retryDelayMs(this, slot, attempts[slot], result, longestNanos[slot]);
    if (delayMs >= 0) {
      fanOut.later(delayMs, () -> retry(slot));
      return;
    }
    if (requests[slot] == 0) {
      // Refused before anything was sent (overloaded, circuit open, no forwarder): reported as the forwarder said.
      settle(slot, result);
    } else {
      // A retry refused before sending (its circuit opened meanwhile) says nothing of the backend: the last
      // request that reached it does.
      DeliveryResult last = result.attempts() > 0 ? result : lastSent[slot];
      settle(slot, last.withAttempts(requests[slot], TimeUnit.NANOSECONDS.toMillis(now - startNanos)));
    }
  }

  private void retry(int slot) {
    if (backends[slot].future().isComplete()) {
      return;
    }
    attempts[slot]++;
    handedNanos[slot] = System.nanoTime();
    fanOut.hand(this, slot, attempts[slot]);
  }

  private void settle(int slot, DeliveryResult result) {
    backends[slot].complete(result);
    if (--awaited == 0) {
      deadline.cancel();
      fanOut.inbox().remove(id);
    }
  }

  private void expire() {
    fanOut.inbox().remove(id);
    for (Promise<DeliveryResult> backend : backends) {
      if (backend != null && !backend.future().isComplete()) {
        backend.complete(FanOut.noReply(startNanos));
      }
    }
  }
}
