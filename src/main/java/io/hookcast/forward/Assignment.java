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
record Assignment(Webhook webhook, Handoff handoff, Message<?> message) {

  /** {@code null} when the message holds neither, which no Hookcast node sends. */
  static Assignment of(Message<Object> message) {
    Object body = message.body();
    if (body instanceof Handoff handoff) {
      return new Assignment(handoff.webhook(), handoff, message);
    }
    if (body instanceof Webhook webhook) {
      return new Assignment(webhook, null, message);
    }
    return null;
  }

  void answer(EventBus eventBus, DeliveryResult result) {
    if (handoff != null) {
      eventBus.send(handoff.replyTo(), new Outcome(handoff.exchange(), handoff.slot(), result));
    } else {
      message.reply(result);
    }
  }
}
