package io.hookcast.http;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.HttpConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Reads a webhook, fans it out, and answers with the aggregated result. */
final class WebhookHandler implements Handler<RoutingContext> {

  private static final Logger LOG = System.getLogger("io.hookcast.webhook");
  private static final String JSON = "application/json";

  private final FanOut fanOut;
  private final HttpConfig http;

  WebhookHandler(FanOut fanOut, HttpConfig http) {
    this.fanOut = fanOut;
    this.http = http;
  }

  @Override
  public void handle(RoutingContext context) {
    HttpServerRequest request = context.request();
    long start = System.nanoTime();
    String requestId = requestId(request);
    BoundedBody.read(request, http.maxBodyBytes())
      .onSuccess(body -> deliver(request, requestId, body, start))
      .onFailure(failure -> refuse(request, requestId, failure, start));
  }

  private void deliver(HttpServerRequest request, String requestId, Buffer body, long start) {
    Webhook webhook = new Webhook(requestId, request.method().name(), request.uri(), ForwardedHeaders.of(request, requestId), body);
    fanOut.deliver(webhook).onComplete(ar -> {
      List<DeliveryResult> results = ar.result();
      AggregatedAnswer answer = AggregatedAnswer.of(fanOut.backendNames(), results);
      respond(request.response(), requestId, answer.status(), answer.body().toBuffer());
      if (http.accessLog()) {
        LOG.log(Level.INFO, () -> accessLine(request, requestId, answer.status(), body.length(), start, results));
      }
    });
  }

  private void refuse(HttpServerRequest request, String requestId, Throwable failure, long start) {
    HttpServerResponse response = request.response();
    if (failure instanceof BoundedBody.TooLargeException tooLarge) {
      // The rest of the body is not read, so the connection cannot carry another request.
      response.putHeader(HttpHeaders.CONNECTION, "close");
      respond(response, requestId, 413, new JsonObject().put("error", tooLarge.getMessage()).toBuffer())
        .onComplete(v -> request.connection().close());
      LOG.log(Level.WARNING, () -> "webhook " + requestId + " " + request.method() + " " + request.uri()
        + " refused with 413: " + tooLarge.getMessage() + " (" + elapsedMs(start) + " ms)");
    } else if (!response.ended() && !response.closed()) {
      respond(response, requestId, 400, new JsonObject().put("error", "could not read the request body: " + failure.getMessage()).toBuffer());
    }
  }

  private static Future<Void> respond(HttpServerResponse response, String requestId, int status, Buffer body) {
    if (response.closed()) {
      return Future.succeededFuture();
    }
    return response.setStatusCode(status)
      .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
      .putHeader(ForwardedHeaders.REQUEST_ID, requestId)
      .end(body);
  }

  private static String requestId(HttpServerRequest request) {
    String given = request.getHeader(ForwardedHeaders.REQUEST_ID);
    if (given != null && !given.isBlank() && given.length() <= 200) {
      return given;
    }
    return UUID.randomUUID().toString();
  }

  private String accessLine(HttpServerRequest request, String requestId, int status, int bodyBytes, long start, List<DeliveryResult> results) {
    StringBuilder line = new StringBuilder(128)
      .append("webhook ").append(requestId).append(' ').append(request.method()).append(' ').append(request.uri())
      .append(' ').append(bodyBytes).append(" B -> ").append(status).append(" in ").append(elapsedMs(start)).append(" ms [");
    List<String> names = fanOut.backendNames();
    for (int i = 0; i < results.size(); i++) {
      DeliveryResult result = results.get(i);
      if (i > 0) {
        line.append(", ");
      }
      line.append(names.get(i)).append('=').append(result.status()).append(' ').append(result.durationMs()).append("ms");
      if (result.error() != null) {
        line.append(" (").append(result.error()).append(')');
      }
    }
    return line.append(']').toString();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
