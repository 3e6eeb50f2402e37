package io.hookcast.http;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.HttpConfig;
import io.hookcast.metrics.HookcastMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
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
  private static final long LINGER_MS = 1_000;

  private final Vertx vertx;
  private final HttpConfig http;
  private final IngressLimits limits;
  private final HookcastMetrics metrics;
  private FanOut fanOut;
  private Handler<HttpServerRequest> answered = request -> { };
  private int inProgress;
  private long lastOverloadLog = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
  private Promise<Void> drained;

  WebhookHandler(Vertx vertx, FanOut fanOut, HttpConfig http, IngressLimits limits) {
    this.vertx = vertx;
    this.fanOut = fanOut;
    this.http = http;
    this.limits = limits;
    this.metrics = HookcastMetrics.of(vertx);
  }

  /** Must run on this handler's event loop, where webhooks are sent. */
  void update(FanOut updated) {
    fanOut = updated;
  }

  /** Called once a webhook's answer is written and its connection may carry the next request. */
  void onAnswered(Handler<HttpServerRequest> handler) {
    answered = handler;
  }

  /**
   * Stops taking webhooks (new ones are answered 503, so that no sender sees a connection cut off) and completes
   * once those in progress are answered. Must run on this handler's event loop.
   */
  Future<Void> drain() {
    if (drained == null) {
      drained = Promise.promise();
    }
    if (inProgress == 0) {
      drained.tryComplete();
    }
    return drained.future();
  }

  @Override
  public void handle(RoutingContext context) {
    HttpServerRequest request = context.request();
    long start = System.nanoTime();
    String requestId = requestId(request);
    if (drained != null) {
      refuse(request, requestId, new BoundedBody.Refused(503, "Hookcast is shutting down; retry later"), start);
      return;
    }
    IngressLimits.Lease lease = limits.acquire();
    if (lease == null) {
      refuse(request, requestId, new BoundedBody.Refused(503,
        "too many webhooks in progress on this node (http.maxConcurrentWebhooks); retry later"), start);
      return;
    }
    inProgress++;
    // The budget is returned when the webhook is done with, not when its sender hangs up: forwarders may
    // still hold the body then.
    BoundedBody.read(vertx, request, http.maxBodyBytes(), lease, http.requestTimeoutMs()).onComplete(read -> {
      if (read.succeeded()) {
        deliver(request, requestId, read.result(), start).onComplete(v -> finished(lease));
      } else {
        refuse(request, requestId, read.cause(), start);
        finished(lease);
      }
    });
  }

  private void finished(IngressLimits.Lease lease) {
    lease.release();
    inProgress--;
    if (inProgress == 0 && drained != null) {
      drained.tryComplete();
    }
  }

  /** Completes once every backend has had its say and the answer is written (or the sender is gone). */
  private Future<?> deliver(HttpServerRequest request, String requestId, Buffer body, long start) {
    // Read when sending, not on arrival: once update() has run, no webhook is sent to a retired backend.
    FanOut backends = fanOut;
    Webhook webhook = new Webhook(requestId, request.method().name(), request.uri(), ForwardedHeaders.of(request, requestId), body);
    return backends.deliver(webhook).andThen(ar -> {
      List<DeliveryResult> results = ar.result();
      AggregatedAnswer answer = AggregatedAnswer.of(backends.backendNames(), results, http.answerDetail());
      for (int i = 0; i < results.size(); i++) {
        metrics.delivered(backends.backendNames().get(i), results.get(i));
      }
      metrics.webhookAnswered(answer.status(), start);
      if (drained != null && !request.response().closed()) {
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
      }
      respond(request.response(), requestId, answer.status(), answer.body().toBuffer())
        .onSuccess(v -> answered.handle(request));
      if (http.accessLog()) {
        LOG.log(Level.INFO, () -> accessLine(request, backends, requestId, answer.status(), body.length(), start, results));
      }
    });
  }

  private void refuse(HttpServerRequest request, String requestId, Throwable failure, long start) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    int status = failure instanceof BoundedBody.Refused refused ? refused.status : 400;
    String message = failure instanceof BoundedBody.Refused ? failure.getMessage() : "could not read the request body: " + failure.getMessage();
    if (status == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, "1");
    }
    // The rest of the body is not read, so the connection cannot carry another request.
    response.putHeader(HttpHeaders.CONNECTION, "close");
    respond(response, requestId, status, new JsonObject().put("error", message).toBuffer())
      .onComplete(v -> lingerThenClose(request));
    metrics.webhookAnswered(status, start);
    // Under overload every webhook is refused: one line a second says so without flooding the log.
    long now = System.nanoTime();
    if (status != 503 || now - lastOverloadLog > TimeUnit.SECONDS.toNanos(1)) {
      if (status == 503) {
        lastOverloadLog = now;
      }
      LOG.log(Level.WARNING, () -> "webhook " + requestId + " " + request.method() + " " + request.uri()
        + " refused with " + status + ": " + message + " (" + elapsedMs(start) + " ms)"
        + (status == 503 ? "; further 503 refusals in the next second are counted in metrics only" : ""));
    }
  }

  /**
   * Closes after discarding what the sender still sends, for a moment: closing with unread bytes makes the
   * kernel reset the connection, which can destroy the answer before the sender has read it.
   */
  private void lingerThenClose(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = vertx.setTimer(LINGER_MS, id -> connection.close());
    request.handler(discarded -> { });
    request.exceptionHandler(failure -> vertx.cancelTimer(timer));
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      connection.close();
    });
    request.resume();
  }

  private static Future<Void> respond(HttpServerResponse response, String requestId, int status, Buffer body) {
    if (response.closed()) {
      return Future.failedFuture("connection closed before the answer");
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

  private static String accessLine(HttpServerRequest request, FanOut backends, String requestId, int status, int bodyBytes,
                                   long start, List<DeliveryResult> results) {
    StringBuilder line = new StringBuilder(128)
      .append("webhook ").append(requestId).append(' ').append(request.method()).append(' ').append(request.uri())
      .append(' ').append(bodyBytes).append(" B -> ").append(status).append(" in ").append(elapsedMs(start)).append(" ms [");
    List<String> names = backends.backendNames();
    for (int i = 0; i < results.size(); i++) {
      DeliveryResult result = results.get(i);
      if (i > 0) {
        line.append(", ");
      }
      line.append(names.get(i)).append('=').append(result.status()).append(' ').append(result.durationMs()).append("ms");
      if (result.attempts() > 1) {
        line.append(' ').append(result.attempts()).append(" attempts");
      }
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
