package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.Webhook;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * A webhook a forwarder took, and where its result goes: a fan-out's {@link Handoff} is answered with an
 * {@link Outcome} sent to the fan-out's inbox; a bare {@link Webhook} sent with {@code request} (the scheduler of
 * async routes) is answered with a reply.
 */
final class Assignment {

  private final EventBus eventBus;
  private final Message<?> message;
  private final Webhook webhook;
  /** {@code null} for a request. */
  private final Handoff handoff;

  private Assignment(EventBus eventBus, Message<?> message, Webhook webhook, Handoff handoff) {
    this.eventBus = eventBus;
    this.message = message;
    this.webhook = webhook;
    this.handoff = handoff;
  }

  /** {@code null} when the message holds neither, which no Hookcast node sends. */
  static Assignment of(EventBus eventBus, Message<Object> message) {
    Object body = message.body();
    if (body instanceof Handoff handoff) {
      return new Assignment(eventBus, message, handoff.webhook(), handoff);
    }
    if (body instanceof Webhook webhook) {
      return new Assignment(eventBus, message, webhook, null);
    }
    return null;
  }

  Webhook webhook() {
    return webhook;
  }

  /**
   * How many HTTP requests the forwarder may make for it: a fan-out's quick retries within its deadline, but one for
   * the scheduler of async routes, whose own schedule retries, so that one scheduled attempt is one request and its
   * {@code X-Hookcast-Attempt} is true.
   */
  int maxAttempts(int quickRetries) {
    return handoff != null ? quickRetries : 1;
  }

  void answer(DeliveryResult result) {
    if (handoff != null) {
      eventBus.send(handoff.replyTo(), new Outcome(handoff.exchange(), handoff.slot(), result));
    } else {
      message.reply(result);
    }
  }
}
