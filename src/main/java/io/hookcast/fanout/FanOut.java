package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
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
  private static final Logger LOG = System.getLogger(FanOut.class.getName());
  private static final String NO_FORWARDER = "no forwarder";
  private static final String NO_REPLY = "no reply from the forwarder; the backend may or may not have received the webhook";
  private static final String FORWARDER_FAILED = "forwarder failed";

  private final ReplyInbox inbox;
  private final List<String> backendNames;
  private final List<MessageProducer<Handoff>> forwarders;
  /**
   * One wait for all the route's backends, the longest of theirs: the results come together in one answer anyway,
   * and one duration per route keeps the inbox's deadlines in the order they fall due.
   */
  private final long replyWaitMs;

  public FanOut(EventBus eventBus, ReplyInbox inbox, List<BackendConfig> backends) {
    this.inbox = inbox;
    this.backendNames = backends.stream().map(BackendConfig::name).toList();
    this.forwarders = backends.stream().map(backend -> eventBus.<Handoff>sender(Addresses.deliver(backend))).toList();
    this.replyWaitMs = backends.stream().mapToLong(BackendConfig::timeoutMs).max().orElse(0) + REPLY_GRACE_MS;
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
    Exchange exchange = new Exchange(inbox, backendNames.size(), wanted, replyWaitMs);
    for (int slot = 0; slot < backendNames.size(); slot++) {
      if (wanted == null || wanted[slot]) {
        hand(exchange, slot, webhook);
      }
    }
    return exchange.results();
  }

  private void hand(Exchange exchange, int slot, Webhook webhook) {
    forwarders.get(slot).write(new Handoff(webhook, inbox.address(), exchange.id(), slot))
      .onFailure(failure -> exchange.arrived(slot, unhanded(backendNames.get(slot), webhook.requestId(), failure, exchange.startNanos())));
  }

  /** What a backend whose forwarder never answered is reported as. */
  static DeliveryResult noReply(long startNanos) {
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    return DeliveryResult.failed(DeliveryResult.TIMED_OUT, NO_REPLY, durationMs, null).withAttempts(0, durationMs);
  }

  /** The sender learns a short category; which forwarder failed and how goes to the log. */
  private static DeliveryResult unhanded(String backend, String requestId, Throwable failure, long startNanos) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      return DeliveryResult.refused(DeliveryResult.UNAVAILABLE, NO_FORWARDER, null);
    }
    LOG.log(Level.WARNING, () -> "webhook " + requestId + ": could not hand it to the forwarders of backend '" + backend + "': " + failure);
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    return DeliveryResult.failed(DeliveryResult.UNREACHABLE, FORWARDER_FAILED, durationMs, null).withAttempts(0, durationMs);
  }
}
