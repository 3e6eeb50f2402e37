package io.hookcast.fanout;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.deadline.Deadlines.Deadline;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Arrays;
import java.util.List;

/**
 * The results of one webhook's backends as they arrive at the {@link ReplyInbox}: complete when every backend
 * handed the webhook has one, or at the deadline, when the missing ones are reported as unanswered (the
 * forwarder's node died with the webhook, or its frame was refused).
 */
final class Exchange {

  private final ReplyInbox inbox;
  private final long id;
  private final DeliveryResult[] results;
  /** Which slots were handed the webhook; {@code null}: all. */
  private final boolean[] wanted;
  private final long startNanos;
  private final Promise<List<DeliveryResult>> done = Promise.promise();
  private final Deadline deadline;
  private int awaited;

  /**
   * @param wanted     which of {@code slots} will be handed the webhook ({@code null}: all); the others keep a
   *                   {@code null} result
   * @param deadlineMs how long to wait for the last result
   */
  Exchange(ReplyInbox inbox, int slots, boolean[] wanted, long deadlineMs) {
    this.inbox = inbox;
    this.results = new DeliveryResult[slots];
    this.wanted = wanted;
    this.startNanos = System.nanoTime();
    int count = 0;
    for (int i = 0; i < slots; i++) {
      if (wants(i)) {
        count++;
      }
    }
    this.awaited = count;
    this.id = inbox.add(this);
    this.deadline = inbox.deadlines().after(deadlineMs, this::expire);
    if (count == 0) {
      finish();
    }
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
    if (slot < 0 || slot >= results.length || !wants(slot) || results[slot] != null || awaited == 0) {
      return;
    }
    results[slot] = result;
    if (--awaited == 0) {
      finish();
    }
  }

  private boolean wants(int slot) {
    return wanted == null || wanted[slot];
  }

  private void expire() {
    DeliveryResult noReply = FanOut.noReply(startNanos);
    for (int i = 0; i < results.length; i++) {
      if (wants(i) && results[i] == null) {
        results[i] = noReply;
      }
    }
    awaited = 0;
    inbox.remove(id);
    done.tryComplete(Arrays.asList(results));
  }

  private void finish() {
    deadline.cancel();
    inbox.remove(id);
    done.complete(Arrays.asList(results));
  }
}
