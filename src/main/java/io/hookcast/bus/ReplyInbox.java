package io.hookcast.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where forwarders send the {@link Reply}s to the {@link Handoff}s one verticle made: one event-bus consumer for
 * all of them, reachable from every cluster node, instead of a reply handler, a reply address and a timer per
 * backend and webhook (what {@code request} costs). Each delivery waiting for outcomes is registered under a number
 * of its own, which its hand-offs carry; an outcome for a number no longer registered (answered at its deadline
 * already) is dropped, as a late reply is.
 * <p>
 * Confined to the event loop of the verticle that opens it.
 */
public final class ReplyInbox {

  /** A delivery waiting for the outcomes of its hand-offs. */
  public interface Waiting {
    /** @param slot the slot of the hand-off, as the forwarder echoed it */
    void arrived(int slot, DeliveryResult result);
  }

  private final String address = Addresses.inbox(UUID.randomUUID().toString());
  private final Map<Long, Waiting> open = new HashMap<>();
  private final Future<Void> registered;
  private long lastId;

  /** Registers the inbox on the caller's event loop; see {@link #registered()}. */
  public ReplyInbox(Vertx vertx) {
    this.registered = vertx.eventBus().<Reply>consumer(address, this::arrived).completion();
  }

  /** Completes once other cluster nodes can send to the inbox. */
  public Future<Void> registered() {
    return registered;
  }

  /** What hand-offs name as their {@link Handoff#replyTo()}. */
  public String address() {
    return address;
  }

  /** @return the number its hand-offs carry as their {@link Handoff#exchange()} */
  public long add(Waiting waiting) {
    long id = ++lastId;
    open.put(id, waiting);
    return id;
  }

  public void remove(long id) {
    open.remove(id);
  }

  private void arrived(Message<Reply> message) {
    Reply reply = message.body();
    Waiting waiting = open.get(reply.exchange());
    if (waiting != null) {
      waiting.arrived(reply.slot(), reply.result());
    }
  }
}
