package io.hookcast.fanout;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.deadline.Deadlines;
import io.hookcast.deadline.Deadlines.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Arrays;
import java.util.List;

/**
 * The results of one webhook's backends as they arrive at the {@link ReplyInbox}: complete when every backend
 * handed the webhook has one, or at the deadline, when the missing ones are reported as unanswered (the
 * forwarder's node died with the webhook, or the hand-off was lost on the way).
 */
final class Exchange {

  private final ReplyInbox inbox;
  private final DeliveryResult[] results;
  /** Which slots were handed the webhook; {@code null}: all. */
  private final boolean[] wanted;
  private final long startNanos;
  private final Promise<List<DeliveryResult>> done = Promise.promise();
  private final Deadline deadline;
  private final long id;
  private int awaited;

  /**
   * @param awaited    how many of {@code slots} will be handed the webhook, at least one
   * @param wanted     which ones ({@code null}: all); the others keep a {@code null} result
   * @param deadlineMs how long to wait for the last result
   */
  Exchange(ReplyInbox inbox, Deadlines deadlines, int slots, int awaited, boolean[] wanted, long deadlineMs) {
    this.inbox = inbox;
    this.results = new DeliveryResult[slots];
    this.wanted = wanted;
    this.awaited = awaited;
    this.startNanos = System.nanoTime();
    this.deadline = deadlines.after(deadlineMs, this::expire);
    this.id = inbox.add(this);
  }

  long id() {
    return id;
  }

  long startNanos() {
    return startNanos;
  }

  Future<List<DeliveryResult>> results() {
    return done.future();
  }

  /** The first result of a slot that was handed the webhook counts; anything else is ignored. */
  void arrived(int slot, DeliveryResult result) {
    if (slot < 0 || slot >= results.length || !FanOut.wants(wanted, slot) || results[slot] != null) {
      return;
    }
    results[slot] = result;
    if (--awaited == 0) {
      deadline.cancel();
      inbox.remove(id);
      done.complete(Arrays.asList(results));
    }
  }

  private void expire() {
    DeliveryResult noReply = FanOut.noReply(startNanos);
    for (int i = 0; i < results.length; i++) {
      if (FanOut.wants(wanted, i) && results[i] == null) {
        results[i] = noReply;
      }
    }
    inbox.remove(id);
    done.complete(Arrays.asList(results));
  }
}
