package io.hookcast.bus;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Refuses frames this node cannot read before any consumer sees them, and tells their sender when it can.
 *
 * <p>Vert.x decodes a clustered message's body lazily, in the consumer's first {@code body()} call: an exception
 * there would escape the forwarder's handler (or fail inside its circuit breaker, counting against a backend
 * that was never contacted) and leave the sender waiting for its deadline. This inbound interceptor reads the body
 * first, on the consumer's own context, and logs a {@link MalformedFrameException} naming both nodes; the message
 * goes no further. A hand-off whose reply address could be read is answered with the outcome its codec put in the
 * exception; anything else can only wait for its deadline (no Hookcast message crosses nodes as a request with a
 * reply address: results go to the fan-out's inbox).
 */
final class FrameGuard implements Handler<DeliveryContext<Object>> {

  private static final Logger LOG = LoggerFactory.getLogger(FrameGuard.class);

  private final Vertx vertx;
  private final String nodeName;

  FrameGuard(Vertx vertx, String nodeName) {
    this.vertx = vertx;
    this.nodeName = nodeName;
  }

  @Override
  public void handle(DeliveryContext<Object> delivery) {
    Message<Object> message = delivery.message();
    try {
      message.body();
    } catch (MalformedFrameException e) {
      String refusal = "node '" + nodeName + "' refused a frame from " + e.describeSender() + " for " + message.address()
        + ": " + e.getMessage();
      LOG.warn(refusal);
      if (e.answerTo() != null) {
        vertx.eventBus().send(e.answerTo(), e.answer());
      }
      return;
    }
    delivery.next();
  }
}
