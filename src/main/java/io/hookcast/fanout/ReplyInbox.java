package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.Outcome;
import io.hookcast.deadline.Deadlines;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where the forwarders send the results of one ingress verticle's webhooks: one event-bus consumer for all of
 * them, reachable from every cluster node, instead of a reply handler, a reply address and a timer per backend and
 * webhook (what {@code request} costs; it was about 5% of the event loop's time). Each webhook in flight is an
 * {@link Exchange} under a number of its own; a result for an exchange no longer open (answered at its deadline
 * already) is dropped, as a late reply is.
 * <p>
 * Confined to the event loop of the verticle that opens it.
 */
public final class ReplyInbox {

  private final String address = Addresses.inbox(UUID.randomUUID().toString());
  private final Map<Long, Exchange> open = new HashMap<>();
  /** The exchanges' deadlines: one duration per route, so they mostly fall due in the order they are set. */
  private final Deadlines deadlines;
  private MessageConsumer<Outcome> consumer;
  private long lastId;

  private ReplyInbox(Vertx vertx) {
    this.deadlines = new Deadlines(vertx);
  }

  /** Registers the inbox on the caller's event loop; completes once other nodes can send to it. */
  public static Future<ReplyInbox> open(Vertx vertx) {
    ReplyInbox inbox = new ReplyInbox(vertx);
    inbox.consumer = vertx.eventBus().consumer(inbox.address, inbox::arrived);
    return inbox.consumer.completion().map(inbox);
  }

  String address() {
    return address;
  }

  Deadlines deadlines() {
    return deadlines;
  }

  /** How many webhooks still wait for results. */
  int pending() {
    return open.size();
  }

  long add(Exchange exchange) {
    long id = ++lastId;
    open.put(id, exchange);
    return id;
  }

  void remove(long id) {
    open.remove(id);
  }

  private void arrived(Message<Outcome> message) {
    Outcome outcome = message.body();
    Exchange exchange = open.get(outcome.exchange());
    if (exchange != null) {
      exchange.arrived(outcome.slot(), outcome.result());
    }
  }
}
