package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
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
 * Hands a webhook to every backend's forwarders at once and joins their results, which arrive at the ingress's
 * {@link ReplyInbox}. The composite future never fails: a backend whose forwarder cannot be reached is reported as
 * such, and the others are still delivered to.
 */
public final class FanOut {

  /**
   * Room for the forwarder's own 504 to arrive after the backend's deadline. The exchange only times out first
   * when the forwarder's node died with the webhook, so this bounds how long that can hold it.
   */
  private static final long REPLY_GRACE_MS = 500;
  private static final String NO_FORWARDER = "no forwarder";
  private static final String NO_REPLY = "no reply from the forwarder; the backend may or may not have received the webhook";

  private final ReplyInbox inbox;
  private final List<String> backendNames;
  private final List<MessageProducer<Handoff>> forwarders;
  /**
   * One wait for all the route's backends, the longest of theirs: the results come together in one answer anyway,
   * and with one duration the route's deadlines fall due in the order they are set, under one timer.
   */
  private final long replyWaitMs;
  private final Deadlines deadlines;

  /** Must be created on the event loop of {@code inbox}, which it shares. */
  public FanOut(Vertx vertx, ReplyInbox inbox, List<BackendConfig> backends) {
    this.inbox = inbox;
    this.backendNames = backends.stream().map(BackendConfig::name).toList();
    this.forwarders = backends.stream().map(backend -> vertx.eventBus().<Handoff>sender(Addresses.deliver(backend))).toList();
    this.replyWaitMs = backends.stream().mapToLong(BackendConfig::timeoutMs).max().orElse(0) + REPLY_GRACE_MS;
    this.deadlines = new Deadlines(vertx);
  }

  public List<String> backendNames() {
    return backendNames;
  }

  public Future<List<DeliveryResult>> deliver(Webhook webhook) {
    return deliver(webhook, null);
  }

  /**
   * Delivers to the backends whose place in {@link #backendNames()} is set in {@code wanted} ({@code null}: all);
   * the others are not contacted and have {@code null} for a result.
   */
  public Future<List<DeliveryResult>> deliver(Webhook webhook, boolean[] wanted) {
    int slots = backendNames.size();
    int awaited = 0;
    for (int slot = 0; slot < slots; slot++) {
      if (wants(wanted, slot)) {
        awaited++;
      }
    }
    if (awaited == 0) {
      return Future.succeededFuture(Arrays.asList(new DeliveryResult[slots]));
    }
    Exchange exchange = new Exchange(inbox, deadlines, slots, awaited, wanted, replyWaitMs);
    for (int slot = 0; slot < slots; slot++) {
      if (wants(wanted, slot)) {
        hand(exchange, slot, webhook);
      }
    }
    return exchange.results();
  }

  static boolean wants(boolean[] wanted, int slot) {
    return wanted == null || wanted[slot];
  }

  /**
   * A missing forwarder is known at once. Any other failure to send (a cluster connection closing) may come after
   * the forwarder got the hand-off, so that backend is left to answer, or to the exchange's deadline.
   */
  private void hand(Exchange exchange, int slot, Webhook webhook) {
    forwarders.get(slot).write(new Handoff(webhook, inbox.address(), exchange.id(), slot)).onFailure(failure -> {
      if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
        exchange.arrived(slot, DeliveryResult.refused(DeliveryResult.UNAVAILABLE, NO_FORWARDER, null));
      }
    });
  }

  /** What a backend whose forwarder never answered is reported as. */
  static DeliveryResult noReply(long startNanos) {
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    return DeliveryResult.failed(DeliveryResult.TIMED_OUT, NO_REPLY, durationMs, null).withAttempts(0, durationMs);
  }
}
