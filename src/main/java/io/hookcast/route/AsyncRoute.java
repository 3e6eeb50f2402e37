package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.RouteConfig;
import io.hookcast.store.Accepted;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.NewMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An asynchronous route: the webhook is answered 202 once the store has committed it with one delivery per backend;
 * the scheduler delivers it from there. When the store cannot take it the sender is told to retry (503), so that
 * nothing is acknowledged that is not stored.
 */
final class AsyncRoute implements RouteHandler {

  /** Sender ids longer than this are not ids but noise, and are not used for deduplication. */
  static final int MAX_SENDER_ID_LENGTH = 200;
  public static final String MESSAGE_ID = "X-Hookcast-Message-Id";
  /** Long enough for a restarting store, short enough that a sender's retry finds it back. */
  private static final int RETRY_AFTER_SECONDS = 5;

  private final RouteConfig route;
  private final DeliveryStore store;
  private final JsonArray backends;

  AsyncRoute(RouteConfig route, DeliveryStore store) {
    this.route = route;
    this.store = store;
    this.backends = new JsonArray(route.backends());
  }

  @Override
  public Future<Answer> handle(Webhook webhook) {
    Instant receivedAt = Instant.now();
    String senderId = senderId(webhook);
    Instant dedupSince = receivedAt.minus(Duration.ofHours(route.dedup().windowHours()));
    NewMessage message = new NewMessage(route.path(), webhook.method(), webhook.uri(), webhook.headers(), webhook.body(),
      route.backends(), senderId, dedupSince, receivedAt);
    // Why the store refused is for the access log (written off the event loop), not for the sender.
    return store.accept(message).map(this::answer).otherwise(failure -> new Answer(503,
      new JsonObject().put("error", "the delivery store cannot take webhooks right now; retry later"),
      Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)), "route " + route.path() + " not stored: " + failure));
  }

  private Answer answer(Accepted stored) {
    JsonObject body = new JsonObject().put("id", stored.id()).put("route", route.path()).put("backends", backends);
    if (stored.duplicate()) {
      body.put("duplicate", true);
    }
    return new Answer(202, body, Map.of(MESSAGE_ID, stored.id()), "route " + route.path() + " message " + stored.id() + (stored.duplicate() ? " (duplicate)" : ""));
  }

  /** The sender's own id for this delivery: the first of the route's dedup headers present. */
  private String senderId(Webhook webhook) {
    for (String header : route.dedup().headers()) {
      String value = webhook.headers().get(header);
      if (value != null && !value.isBlank() && value.length() <= MAX_SENDER_ID_LENGTH) {
        return value.trim();
      }
    }
    return null;
  }
}
