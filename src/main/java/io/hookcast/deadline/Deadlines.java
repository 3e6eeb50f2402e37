package io.hookcast.deadline;

import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines paid per webhook (a request's head and body, a backend's answer), watched by one Vert.x timer per
 * event loop instead of one each.
 * <p>
 * Nearly every such deadline is cancelled: the webhook arrives or is answered in time. A Vert.x timer for each costs
 * a task in Netty's scheduled queue, an entry in Vert.x's timer map and a close hook on the context, set and then
 * removed, for every webhook. Deadlines set with the same duration fall due in the order they are set,
 * so here they are appended to a queue and one timer waits for the oldest; cancelling marks a deadline and drops
 * the cancelled ones from the head. Under steady traffic the timer fires about once per duration. It is left to fire
 * when the queue empties, since cancelling a Vert.x timer costs more than its firing with nothing due (the queue
 * empties between most webhooks of a lightly loaded event loop). A deadline
 * due before the last one set (a retry's shorter remainder) gets a Vert.x timer of its own.
 * <p>
 * Confined to the event loop of the verticle that creates it.
 */
public final class Deadlines {

  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final ArrayDeque<Deadline> queue = new ArrayDeque<>();
  /** The timer set for the head of the queue, or for a deadline since dropped; {@link #NO_TIMER} when none is. */
  private long timer = NO_TIMER;
  /** When the last deadline put in the queue falls due; meaningful once {@link #queuedAny}. */
  private long lastQueuedNanos;
  private boolean queuedAny;

  public Deadlines(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code onExpiry} on this event loop {@code delayMs} from now, unless the deadline is cancelled first. */
  public Deadline after(long delayMs, Runnable onExpiry) {
    return at(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs), onExpiry);
  }

  /** Runs {@code onExpiry} on this event loop when {@link System#nanoTime()} reaches {@code dueNanos}, unless cancelled first. */
  public Deadline at(long dueNanos, Runnable onExpiry) {
    Deadline deadline = new Deadline(dueNanos, onExpiry);
    // Against the last one queued even if since dropped: the timer may still be set for it.
    if (queuedAny && dueNanos - lastQueuedNanos < 0) {
      deadline.ownTimer = vertx.setTimer(delayMs(dueNanos), id -> deadline.expire());
      return deadline;
    }
    queue.addLast(deadline);
    queuedAny = true;
    lastQueuedNanos = dueNanos;
    if (timer == NO_TIMER) {
      armForHead();
    }
    return deadline;
  }

  private void armForHead() {
    timer = vertx.setTimer(delayMs(queue.getFirst().dueNanos), id -> {
      timer = NO_TIMER;
      expireDue();
    });
  }

  private void expireDue() {
    long now = System.nanoTime();
    Deadline head;
    while ((head = queue.peekFirst()) != null && (head.done || head.dueNanos - now <= 0)) {
      queue.pollFirst();
      head.expire();
    }
    if (queue.isEmpty()) {
      // No timer is left set, so the next deadline starts a new order of its own.
      queuedAny = false;
    } else if (timer == NO_TIMER) {
      armForHead();
    }
  }

  private void dropCancelledHead() {
    while (!queue.isEmpty() && queue.getFirst().done) {
      queue.pollFirst();
    }
  }

  /**
   * Milliseconds until {@code dueNanos} ({@link System#nanoTime()}), at least 1: rounded up, so that a timer set for
   * them never fires before the deadline is due.
   */
  public static long delayMs(long dueNanos) {
    long remaining = dueNanos - System.nanoTime();
    return Math.max(1, (remaining + 999_999) / 1_000_000);
  }

  /** One deadline: it either expires once or is cancelled. */
  public final class Deadline {

    private final long dueNanos;
    /**
     * Let go of once done: a cancelled deadline stays queued behind a live one until that one falls due, and what its
     * callback holds (a webhook's body) must not stay with it.
     */
    private Runnable onExpiry;
    private boolean done;
    private long ownTimer = NO_TIMER;

    private Deadline(long dueNanos, Runnable onExpiry) {
      this.dueNanos = dueNanos;
      this.onExpiry = onExpiry;
    }

    /** Does nothing once the deadline has expired or been cancelled. */
    public void cancel() {
      if (done) {
        return;
      }
      done = true;
      onExpiry = null;
      if (ownTimer != NO_TIMER) {
        vertx.cancelTimer(ownTimer);
      } else {
        dropCancelledHead();
      }
    }

    private void expire() {
      if (!done) {
        done = true;
        Runnable run = onExpiry;
        onExpiry = null;
        run.run();
      }
    }
  }
}
