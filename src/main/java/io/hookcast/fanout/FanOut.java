package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hands a webhook to every backend's forwarders at once and joins their replies. The composite future never
 * fails: a backend whose forwarder cannot be reached is reported as such, and the others are still delivered to.
 */
public final class FanOut {

  /**
   * Room for the forwarder's own 504 to arrive before the event bus gives up on the reply. The event bus only
   * times out first when the forwarder's node died with the webhook, so this bounds how long that can hold it.
   */
  private static final long REPLY_GRACE_MS = 500;
  private static final Logger LOG = System.getLogger(FanOut.class.getName());
  private static final String NO_FORWARDER = "no forwarder";
  private static final String NO_REPLY = "no reply from the forwarder; the backend may or may not have received the webhook";
  private static final String FORWARDER_FAILED = "forwarder failed";

  private final EventBus eventBus;
  private final List<String> backendNames;
  private final List<String> addresses;
  private final List<DeliveryOptions> deliveryOptions;

  public FanOut(EventBus eventBus, List<BackendConfig> backends) {
    this.eventBus = eventBus;
    this.backendNames = backends.stream().map(BackendConfig::name).toList();
    this.addresses = backends.stream().map(Addresses::deliver).toList();
    this.deliveryOptions = backends.stream()
      .map(backend -> new DeliveryOptions().setSendTimeout(backend.timeoutMs() + REPLY_GRACE_MS))
      .toList();
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
    long start = System.nanoTime();
    List<Future<DeliveryResult>> replies = new ArrayList<>(backendNames.size());
    for (int i = 0; i < backendNames.size(); i++) {
      replies.add(wanted == null || wanted[i] ? request(backendNames.get(i), addresses.get(i), webhook, deliveryOptions.get(i), start)
        : Future.succeededFuture());
    }
    return Future.all(replies).map(all -> all.list());
  }

  private Future<DeliveryResult> request(String name, String address, Webhook webhook, DeliveryOptions options, long start) {
    return eventBus.<DeliveryResult>request(address, webhook, options)
      .map(Message::body)
      .recover(failure -> Future.succeededFuture(unanswered(name, webhook.requestId(), failure, start)));
  }

  /** The sender learns a short category; which forwarder failed and how goes to the log. */
  private static DeliveryResult unanswered(String backend, String requestId, Throwable failure, long startNanos) {
    long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    if (failure instanceof ReplyException reply) {
      switch (reply.failureType()) {
        case NO_HANDLERS:
          return DeliveryResult.refused(DeliveryResult.UNAVAILABLE, NO_FORWARDER, null);
        case TIMEOUT:
          return DeliveryResult.failed(DeliveryResult.TIMED_OUT, NO_REPLY, durationMs, null).withAttempts(0, durationMs);
        default:
          break;
      }
    }
    LOG.log(Level.WARNING, () -> "webhook " + requestId + ": the forwarder of backend '" + backend + "' failed: " + failure);
    return DeliveryResult.failed(DeliveryResult.UNREACHABLE, FORWARDER_FAILED, durationMs, null).withAttempts(0, durationMs);
  }
}
