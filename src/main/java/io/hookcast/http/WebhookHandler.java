package io.hookcast.http;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.HttpConfig;
import io.hookcast.metrics.HookcastMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;

/**
 * The path of one webhook through the ingress: checked, admitted, its body read, fanned out, answered. Each step
 * is its own class; this one only puts them in order.
 */
final class WebhookHandler implements Handler<HttpServerRequest> {

  private final Vertx vertx;
  private final HttpConfig http;
  private final RequestChecks checks;
  private final Admission admission;
  private final Refusals refusals;
  private final AccessLog log;
  private final HookcastMetrics metrics;
  private FanOut fanOut;
  private Handler<HttpServerRequest> answered = request -> { };

  WebhookHandler(Vertx vertx, HttpConfig http, FanOut fanOut, Admission admission, Refusals refusals, AccessLog log,
                 HookcastMetrics metrics) {
    this.vertx = vertx;
    this.http = http;
    this.checks = new RequestChecks(http.maxHeaderCount());
    this.fanOut = fanOut;
    this.admission = admission;
    this.refusals = refusals;
    this.log = log;
    this.metrics = metrics;
  }

  /** Must run on this handler's event loop, where webhooks are sent. */
  void update(FanOut updated) {
    fanOut = updated;
  }

  /** Called once a webhook's answer is written and its connection may carry the next request. */
  void onAnswered(Handler<HttpServerRequest> handler) {
    answered = handler;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.of(request);
    String target;
    IngressLimits.Lease lease;
    try {
      target = checks.check(request);
      lease = admission.admit();
    } catch (Refusal refusal) {
      refusals.refuse(request, requestId, refusal, start);
      return;
    }
    // The budget is returned when the webhook is done with, not when its sender hangs up: forwarders may
    // still hold the body then.
    BoundedBody.read(vertx, request, http.maxBodyBytes(), lease, http.requestTimeoutMs()).onComplete(read -> {
      if (read.succeeded()) {
        deliver(request, requestId, target, read.result(), start).onComplete(v -> admission.finished(lease));
      } else {
        Refusal refusal = read.cause() instanceof Refusal known ? known
          : new Refusal(400, "could not read the request body: " + read.cause().getMessage());
        refusals.refuse(request, requestId, refusal, start);
        admission.finished(lease);
      }
    });
  }

  /** Completes once every backend has had its say and the answer is written (or the sender is gone). */
  private Future<?> deliver(HttpServerRequest request, String requestId, String target, Buffer body, long start) {
    // Read when sending, not on arrival: once update() has run, no webhook is sent to a retired backend.
    FanOut backends = fanOut;
    Webhook webhook = new Webhook(requestId, request.method().name(), target, ForwardedHeaders.of(request, requestId, http), body);
    return backends.deliver(webhook).andThen(ar -> {
      List<DeliveryResult> results = ar.result();
      AggregatedAnswer answer = AggregatedAnswer.of(backends.backendNames(), results, http.answerDetail());
      for (int i = 0; i < results.size(); i++) {
        metrics.delivered(backends.backendNames().get(i), results.get(i));
      }
      metrics.webhookAnswered(answer.status(), start);
      if (admission.draining() && !request.response().closed()) {
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
      }
      Answers.write(request.response(), requestId, answer.status(), answer.body().toBuffer())
        .onSuccess(v -> answered.handle(request));
      if (http.accessLog()) {
        log.webhook(AccessLines.webhook(request, target, backends.backendNames(), requestId, answer.status(), body.length(), start, results));
      }
    });
  }
}
