package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.RouteConfig;
import io.hookcast.work.BodyWork;
import io.hookcast.crypto.Sha256;
import io.hookcast.http.HookcastHeaders;
import io.hookcast.route.body.BodyReader;
import io.hookcast.route.body.BodyValues;
import io.hookcast.route.filter.DeliveryFilter;
import io.hookcast.store.Accepted;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.NewMessage;
import io.hookcast.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * An asynchronous route: the webhook is answered 202 once the store has committed it with one delivery per backend;
 * the scheduler delivers it from there. When the store cannot take it the sender is told to retry (503), so that
 * nothing is acknowledged that is not stored.
 */
final class AsyncRoute implements RouteHandler {

  /** Sender ids longer than this are not ids but noise, and are not used for deduplication. */
  static final int MAX_SENDER_ID_LENGTH = 200;
  /** Marks a sender id taken from the body, so it never equals one a sender set in a header. */
  static final String BODY_DIGEST_PREFIX = "sha256:";
  /** Long enough for a restarting store, short enough that a sender's retry finds it back. */
  private static final int RETRY_AFTER_SECONDS = 5;

  private final RouteConfig route;
  private final DeliveryStore store;
  private final DeliveryFilter filter;
  private final BodyReader body;
  private final Tracing tracing;
  private final BodyWork hashing;

  /**
   * @param body    reads the filter's pointers and the order key's, if it is in the body
   * @param hashing digests a large body for its sender id off the event loop
   */
  AsyncRoute(RouteConfig route, DeliveryStore store, DeliveryFilter filter, BodyReader body, Tracing tracing, BodyWork hashing) {
    this.route = route;
    this.store = store;
    this.filter = filter;
    this.body = body;
    this.tracing = tracing;
    this.hashing = hashing;
  }

  @Override
  public Future<Answer> handle(Webhook webhook) {
    Instant receivedAt = Instant.now();
    boolean keyInBody = route.order() != null && route.order().json() != null;
    return keyInBody || filter.needsBody(webhook.headers())
      ? body.read(webhook.body()).compose(values -> accept(webhook, receivedAt, values))
      : accept(webhook, receivedAt, BodyValues.NONE);
  }

  private Future<Answer> accept(Webhook webhook, Instant receivedAt, BodyValues values) {
    List<String> backends = filter.select(route.backends(), webhook.headers(), values);
    // Nothing to deliver, so nothing to keep, but on a verified route that deduplicates: there the message is kept
    // without deliveries when it has a sender id, since that is what makes a replay a duplicate, and a replay under a
    // captured signature need not repeat the unsigned headers a condition chose by (another event type, say).
    if (backends.isEmpty() && (route.verify() == null || !route.dedup().enabled())) {
      return takenByNone();
    }
    if (route.dedup().key() != RouteConfig.DedupConfig.Key.BODY) {
      String senderId = headerId(webhook);
      return backends.isEmpty() && senderId == null ? takenByNone() : store(webhook, backends, senderId, receivedAt, values);
    }
    return hashing.run(webhook.body(), () -> BODY_DIGEST_PREFIX + HexFormat.of().formatHex(Sha256.of(webhook.body())))
      .compose(senderId -> store(webhook, backends, senderId, receivedAt, values));
  }

  /** The sender is told it was taken, and which backends (none) get it. */
  private Future<Answer> takenByNone() {
    return Future.succeededFuture(new Answer(202, new JsonObject().put("route", route.path()).put("backends", new JsonArray()),
      Map.of(), () -> "route " + route.path() + " no backend's condition met"));
  }

  private Future<Answer> store(Webhook webhook, List<String> backends, String senderId, Instant receivedAt, BodyValues values) {
    Instant dedupSince = receivedAt.minus(Duration.ofHours(route.dedup().windowHours()));
    NewMessage message = new NewMessage(route.path(), webhook.method(), webhook.uri(), webhook.headers(), webhook.body(),
      backends, senderId, dedupSince, receivedAt, route.order() == null ? null : OrderKey.of(route.order(), webhook.headers(), values),
      webhook.traceParent());
    Span write = tracing.storeWrite(webhook.traceParent(), route.path());
    Future<Accepted> accepted = store.accept(message);
    if (write.isRecording()) {
      accepted.onComplete(ar -> Tracing.endStoreWrite(write, ar.succeeded() ? ar.result().id() : null,
        ar.succeeded() && ar.result().duplicate(), ar.cause()));
    }
    // Why the store refused is for the access log (written off the event loop), not for the sender.
    return accepted.map(stored -> answer(stored, backends)).otherwise(failure -> new Answer(503,
      new JsonObject().put("error", "the delivery store cannot take webhooks right now; retry later"),
      Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS)), () -> "route " + route.path() + " not stored: " + failure));
  }

  /**
   * A duplicate's answer names no backends: nothing new is delivered, and the first message's backends were chosen
   * from its own headers and body, which this one's need not share (another event type under a replayed body).
   */
  private Answer answer(Accepted stored, List<String> backends) {
    JsonObject body = new JsonObject().put("id", stored.id()).put("route", route.path());
    if (stored.duplicate()) {
      body.put("duplicate", true);
    } else {
      body.put("backends", new JsonArray(backends));
    }
    return new Answer(202, body, Map.of(HookcastHeaders.MESSAGE_ID, stored.id()),
      () -> "route " + route.path() + " message " + stored.id() + (stored.duplicate() ? " (duplicate)" : ""));
  }

  /**
   * The sender's own id for this delivery on a route whose {@code dedup.key} is "header": the first of the route's
   * dedup headers present. With "body" it is a SHA-256 digest of the body instead (a replay repeats the body byte for
   * byte, whatever its headers), computed off the event loop when the body is large ({@link BodyWork}).
   */
  private String headerId(Webhook webhook) {
    // The first present, usable or not: on a route verified by Standard Webhooks that is the id the signature was
    // checked over, and a later header (svix-id beside webhook-id) was not signed.
    for (String header : route.dedup().headers()) {
      String value = webhook.headers().get(header);
      if (value != null) {
        return value.isBlank() || value.length() > MAX_SENDER_ID_LENGTH ? null : value.trim();
      }
    }
    return null;
  }
}
