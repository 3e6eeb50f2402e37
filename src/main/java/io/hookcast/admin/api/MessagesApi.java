package io.hookcast.admin.api;

import io.hookcast.config.HookcastConfig;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.MessageDetail;
import io.hookcast.store.MessagePage;
import io.hookcast.store.MessageQuery;
import io.hookcast.store.MessageSummary;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * Stored messages of async routes: list, read, retry, cancel, and retry in bulk. A node without a store (no async
 * route) has none: empty lists, and 404 for any id.
 */
final class MessagesApi {

  /** {@code null} on a node without a store. */
  private final DeliveryOperations operations;
  /** The running configuration: what to redact follows reloads of the routes. */
  private final Supplier<HookcastConfig> config;

  MessagesApi(DeliveryOperations operations, Supplier<HookcastConfig> config) {
    this.operations = operations;
    this.config = config;
  }

  void list(RoutingContext context) {
    Arguments arguments = Arguments.of(context);
    MessageQuery query = new MessageQuery(arguments.text("route"), arguments.text("backend"),
      status(arguments.text("status")), arguments.text("sender"), arguments.instant("since"), arguments.instant("until"));
    int limit = arguments.number("limit");
    String cursor = arguments.text("cursor");
    if (operations == null) {
      Replies.json(context, 200, new JsonObject().put("messages", new JsonArray()).putNull("nextCursor"));
      return;
    }
    // The document bounds the limit as the store does, so the only argument the store can refuse is the cursor.
    Future<MessagePage> page = operations.messages(query, limit, cursor).recover(failure -> Future.failedFuture(
      failure instanceof IllegalArgumentException ? ApiError.badRequest("cursor: not a cursor this API handed out") : failure));
    Redaction redaction = Redaction.of(config.get());
    Replies.reply(context, Replies.fromStore(page).map(found -> {
      JsonArray messages = new JsonArray();
      for (MessageSummary message : found.messages()) {
        messages.add(ApiJson.summary(message, redaction));
      }
      return new JsonObject().put("messages", messages).put("nextCursor", found.nextCursor());
    }), 200);
  }

  void get(RoutingContext context) {
    String id = context.pathParam("id");
    if (operations == null) {
      throw noMessage(id);
    }
    // One byte more than is shown, so that a cut is known; not the whole body, which may be 25 MiB, at every refresh.
    Future<MessageDetail> detail = Replies.fromStore(operations.message(id, ApiJson.MAX_BODY_BYTES + 1));
    Replies.reply(context, detail.map(found -> {
      if (found == null) {
        throw noMessage(id);
      }
      return ApiJson.detail(found, Redaction.of(config.get()));
    }), 200);
  }

  void retry(RoutingContext context) {
    String id = context.pathParam("id");
    String backend = Arguments.of(context).text("backend");
    if (operations == null) {
      throw notFound(id, backend);
    }
    Replies.reply(context, Replies.changeInStore(operations.retry(id, backend)).map(changed -> {
      if (!changed.found()) {
        throw notFound(id, backend);
      }
      return new JsonObject().put("id", id).put("queued", changed.deliveries());
    }), 202);
  }

  void cancel(RoutingContext context) {
    String id = context.pathParam("id");
    String backend = Arguments.of(context).text("backend");
    if (operations == null) {
      throw notFound(id, backend);
    }
    Replies.reply(context, Replies.changeInStore(operations.cancel(id, backend)).map(changed -> {
      if (!changed.found()) {
        throw notFound(id, backend);
      }
      return new JsonObject().put("id", id).put("cancelled", changed.deliveries());
    }), 200);
  }

  /** {@code POST /api/deliveries/retry}: every delivery matching the body's filter, dead ones unless it says otherwise. */
  void retryAll(RoutingContext context) {
    Arguments filter = Arguments.of(context);
    MessageQuery query = new MessageQuery(filter.text("route"), filter.text("backend"), status(filter.text("status")), null,
      filter.instant("since"), filter.instant("until"));
    if (operations == null) {
      Replies.json(context, 202, new JsonObject().put("queued", 0));
      return;
    }
    Replies.reply(context, Replies.changeInStore(operations.retryAll(query)).map(queued -> new JsonObject().put("queued", queued)), 202);
  }

  /** A status the document lists, as the store names it; {@code null} when absent. */
  private static DeliveryStatus status(String column) {
    for (DeliveryStatus status : DeliveryStatus.values()) {
      if (status.column().equals(column)) {
        return status;
      }
    }
    return null;
  }

  private static ApiError noMessage(String id) {
    return ApiError.notFound("no message " + id);
  }

  private static ApiError notFound(String id, String backend) {
    return backend == null ? noMessage(id) : ApiError.notFound("no message " + id + " with a delivery to backend " + backend);
  }
}
