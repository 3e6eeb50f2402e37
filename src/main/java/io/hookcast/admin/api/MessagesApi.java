package io.hookcast.admin.api;

import io.hookcast.config.HookcastConfig;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStatus;
import io.hookcast.store.MessageDetail;
import io.hookcast.store.MessagePage;
import io.hookcast.store.MessageQuery;
import io.hookcast.store.MessageSummary;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.function.Supplier;
import java.util.TreeSet;

/**
 * Stored messages of async routes: list, read, retry, cancel, and retry in bulk. A node without a store (no async
 * route) has none: empty lists, and 404 for any id.
 */
final class MessagesApi {

  private static final Set<String> BULK_KEYS = Set.of("backend", "route", "status", "since", "until");

  /** {@code null} on a node without a store. */
  private final DeliveryOperations operations;
  /** The running configuration: what to redact follows reloads of the routes. */
  private final Supplier<HookcastConfig> config;

  MessagesApi(DeliveryOperations operations, Supplier<HookcastConfig> config) {
    this.operations = operations;
    this.config = config;
  }

  void list(RoutingContext context) {
    MultiMap params = context.queryParams();
    MessageQuery query = new MessageQuery(Params.text(params, "route"), Params.text(params, "backend"),
      Params.status("status", Params.text(params, "status")), Params.text(params, "sender"),
      Params.instant("since", Params.text(params, "since")), Params.instant("until", Params.text(params, "until")));
    int limit = Params.number(params, "limit", 50, 1, DeliveryOperations.MAX_PAGE);
    String cursor = Params.text(params, "cursor");
    if (operations == null) {
      Replies.json(context, 200, new JsonObject().put("messages", new JsonArray()).putNull("nextCursor"));
      return;
    }
    // The limit is checked above, so the only argument the store can refuse is the cursor.
    Future<MessagePage> page = operations.messages(query, limit, cursor).recover(failure -> Future.failedFuture(
      failure instanceof IllegalArgumentException ? ApiError.badRequest("cursor: not a cursor this API handed out") : failure));
    Replies.reply(context, Replies.fromStore(page).map(found -> {
      JsonArray messages = new JsonArray();
      for (MessageSummary message : found.messages()) {
        messages.add(ApiJson.summary(message));
      }
      return new JsonObject().put("messages", messages).put("nextCursor", found.nextCursor());
    }), 200);
  }

  void get(RoutingContext context) {
    String id = context.pathParam("id");
    if (operations == null) {
      throw noMessage(id);
    }
    Future<MessageDetail> detail = Replies.fromStore(operations.message(id));
    Replies.reply(context, detail.map(found -> {
      if (found == null) {
        throw noMessage(id);
      }
      return ApiJson.detail(found, Redaction.of(config.get()));
    }), 200);
  }

  void retry(RoutingContext context) {
    String id = context.pathParam("id");
    String backend = Params.text(context.queryParams(), "backend");
    if (operations == null) {
      throw notFound(id, backend);
    }
    Replies.reply(context, Replies.fromStore(operations.retry(id, backend)).map(changed -> {
      if (!changed.found()) {
        throw notFound(id, backend);
      }
      return new JsonObject().put("id", id).put("queued", changed.deliveries());
    }), 202);
  }

  void cancel(RoutingContext context) {
    String id = context.pathParam("id");
    String backend = Params.text(context.queryParams(), "backend");
    if (operations == null) {
      throw notFound(id, backend);
    }
    Replies.reply(context, Replies.fromStore(operations.cancel(id, backend)).map(changed -> {
      if (!changed.found()) {
        throw notFound(id, backend);
      }
      return new JsonObject().put("id", id).put("cancelled", changed.deliveries());
    }), 200);
  }

  /** {@code POST /api/deliveries/retry}: every delivery matching the body's filter, dead ones unless it says otherwise. */
  void retryAll(RoutingContext context) {
    JsonObject filter = filter(context.body().buffer());
    Set<String> unknown = new TreeSet<>(filter.fieldNames());
    unknown.removeAll(BULK_KEYS);
    if (!unknown.isEmpty()) {
      throw ApiError.badRequest("body: unknown key(s) " + unknown + "; known: backend, route, status, since, until");
    }
    DeliveryStatus status = Params.status("status", field(filter, "status"));
    MessageQuery query = new MessageQuery(field(filter, "route"), field(filter, "backend"),
      status == null ? DeliveryStatus.DEAD : status, null, Params.instant("since", field(filter, "since")),
      Params.instant("until", field(filter, "until")));
    if (operations == null) {
      Replies.json(context, 202, new JsonObject().put("queued", 0));
      return;
    }
    Replies.reply(context, Replies.fromStore(operations.retryAll(query)).map(queued -> new JsonObject().put("queued", queued)), 202);
  }

  private static JsonObject filter(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    try {
      if (Json.decodeValue(body) instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      // answered below, as for JSON that is not an object
    }
    throw ApiError.badRequest("body: expected a JSON object such as {\"backend\": \"billing\", \"status\": \"dead\"}");
  }

  /** A string field; since and until may be epoch milliseconds as a JSON number too. */
  private static String field(JsonObject filter, String key) {
    Object value = filter.getValue(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    if (key.equals("since") || key.equals("until")) {
      if (value instanceof Long || value instanceof Integer) {
        return value.toString();
      }
    }
    throw ApiError.badRequest(key + ": expected a string, got " + value);
  }

  private static ApiError noMessage(String id) {
    return ApiError.notFound("no message " + id);
  }

  private static ApiError notFound(String id, String backend) {
    return backend == null ? noMessage(id) : ApiError.notFound("no message " + id + " with a delivery to backend " + backend);
  }
}
