package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where the forwarders send the results of one ingress verticle's webhooks: one event-bus consumer for all of
 * them, reachable from every cluster node, instead of a reply handler, a reply address and a timer per backend and
 * webhook (what {@code request} costs, for every backend of every webhook). Each webhook in flight is an
 * {@link Exchange} under a number of its own; a result for an exchange no longer open (answered at its deadline
 * already) is dropped, as a late reply is.
 * <p>
 * Confined to the event loop of the verticle that opens it.
 */
public final class ReplyInbox {

  private final String address = Addresses.inbox(UUID.randomUUID().toString());
  private final Map<Long, Exchange> open = new HashMap<>();
  private final Future<Void> registered;
  private long lastId;

  /** Registers the inbox on the caller's event loop; see {@link #registered()}. */
  public ReplyInbox(Vertx vertx) {
    this.registered = vertx.eventBus().<Outcome>consumer(address, this::arrived).completion();
  }

  /** Completes once other cluster nodes can send to the inbox. */
  public Future<Void> registered() {
    return registered;
  }

  String address() {
    return address;
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
