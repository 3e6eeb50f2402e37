package io.hookcast.admin.api;

import io.hookcast.store.DeliveryOperations;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.TimeUnit;

/** How the API answers, and how it waits for the store. */
final class Replies {

  private Replies() {
  }

  static void json(RoutingContext context, int status, JsonObject body) {
    context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

  /** As {@link #json(RoutingContext, int, JsonObject)}, encoded already. */
  static void json(RoutingContext context, int status, Buffer body) {
    context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body);
  }

  /** The store's answer, or a 503 when it fails or does not answer in time. */
  static <T> Future<T> fromStore(Future<T> call) {
    return unavailable(call, "the delivery store does not answer; try again later");
  }

  /**
   * As {@link #fromStore}, for a change: the 503 cannot say that nothing changed, since the store may still apply
   * it (a bulk retry goes on batch after batch), and asking again blindly would send the same webhooks twice.
   */
  static <T> Future<T> changeInStore(Future<T> call) {
    return unavailable(call, "the delivery store did not confirm the change in time; it may still be applied, so look at"
      + " the deliveries (GET /api/messages) before asking again");
  }

  private static <T> Future<T> unavailable(Future<T> call, String error) {
    return call.timeout(DeliveryOperations.ANSWER_MS, TimeUnit.MILLISECONDS)
      .recover(failure -> Future.failedFuture(failure instanceof ApiError ? failure : new ApiError(503, error, failure)));
  }

  /** Answers {@code body} with {@code status}, or the failure as the API's error. */
  static void reply(RoutingContext context, Future<JsonObject> body, int status) {
    body.onComplete(done -> {
      if (done.succeeded()) {
        json(context, status, done.result());
      } else {
        context.fail(done.cause());
      }
    });
  }
}
