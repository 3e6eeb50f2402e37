package io.hookcast.ingress;

import io.hookcast.bus.Webhook;
import io.hookcast.config.HttpConfig;
import io.hookcast.http.QueryValues;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.route.Answer;
import io.hookcast.route.RouteHandler;
import io.hookcast.route.RouteMatch;
import io.hookcast.route.Routing;
import io.hookcast.deadline.Deadlines;
import io.hookcast.work.BodyWork;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The path of one webhook through the ingress: checked, routed, admitted, its body read, handed to its route,
 * answered. Each step is its own class; this one only puts them in order.
 */
final class WebhookHandler implements Handler<HttpServerRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);
  /** A route's failure is logged with its stack at most this often: a body that trips a defect may come again and again. */
  private static final long FAILURE_TRACE_PERIOD_MS = 60_000;

  private final Deadlines deadlines;
  private final HttpConfig http;
  private final RequestChecks checks;
  private final Admission admission;
  private final Refusals refusals;
  private final AccessLog log;
  private final HookcastMetrics metrics;
  private RoutingInUse routing;
  /** On the handler's event loop only, as every request it handles. */
  private long lastFailureTrace = Long.MIN_VALUE / 2;

  WebhookHandler(Deadlines deadlines, HttpConfig http, Routing routing, Admission admission, Refusals refusals, AccessLog log,
                 HookcastMetrics metrics) {
    this.deadlines = deadlines;
    this.http = http;
    this.checks = new RequestChecks(http.maxHeaderBytes(), http.maxHeaderCount());
    this.routing = new RoutingInUse(routing);
    this.admission = admission;
    this.refusals = refusals;
    this.log = log;
    this.metrics = metrics;
  }

  /**
   * Must run on this handler's event loop, where webhooks are handed to their routes.
   *
   * @return completes once every webhook handed to the previous routing has been dealt with
   */
  Future<Void> update(Routing updated) {
    RoutingInUse previous = routing;
    routing = new RoutingInUse(updated);
    return previous.replaced();
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    String requestId = RequestIds.of(request);
    String target;
    Routing routedBy = routing.routing();
    RouteMatch.Found route;
    IngressLimits.Lease lease;
    try {
      refuseTunnelsAndEchoes(request, routedBy);
      target = checks.check(request);
      // Before the body is read: a webhook nobody takes costs no buffer.
      route = route(routedBy, request.method().name(), target);
      lease = admission.admit();
    } catch (Refusal refusal) {
      refusals.refuse(request, requestId, refusal, start);
      return;
    }
    // The budget is returned when the webhook is done with, not when its sender hangs up: forwarders may
    // still hold the body then.
    BoundedBody.read(deadlines, request, route.body(), lease, http.requestTimeoutMs()).onComplete(read -> {
      if (read.succeeded()) {
        deliver(request, requestId, target, routedBy, route.handler(), read.result(), start).onComplete(v -> admission.finished(lease));
      } else if (read.cause() instanceof Refusal refusal) {
        refusals.refuse(request, requestId, refusal, start);
        admission.finished(lease);
      } else {
        refusals.unreadable(request, requestId, read.cause(), start);
        admission.finished(lease);
      }
    });
  }

  /**
   * CONNECT would make Hookcast a tunnel and TRACE echoes the request (credentials included) back: neither is a
   * webhook, and NGINX and Envoy refuse both at the edge too. Refused before the target is read, which for CONNECT
   * is not a path.
   */
  private static void refuseTunnelsAndEchoes(HttpServerRequest request, Routing routing) {
    HttpMethod method = request.method();
    if (HttpMethod.CONNECT.equals(method) || HttpMethod.TRACE.equals(method)) {
      throw Refusal.methodNotAllowed(method.name() + " is not accepted", routing.methods());
    }
  }

  /**
   * The route's handler; refused, never forwarded: a path no route takes (404), a method the route does not take
   * (405, so that a webhook endpoint is not a proxy for whatever the backends serve), or a path that a backend could
   * take for another route's (400).
   */
  private static RouteMatch.Found route(Routing routing, String method, String target) {
    String path = path(target);
    RouteMatch match = routing.match(path);
    if (match instanceof RouteMatch.Ambiguous other) {
      throw new Refusal(400, "the path " + Answers.printable(path) + " differs from route " + other.routePath()
        + (other.byCase() ? " only by letter case; route paths are case-sensitive"
        : " only by a suffix that backends may drop (after '.' or '~', or a space) or by a percent-encoding they decode;"
        + " route paths match as written"));
    }
    if (!(match instanceof RouteMatch.Found found)) {
      throw new Refusal(404, "no route for " + Answers.printable(path));
    }
    if (!found.methods().contains(method)) {
      throw Refusal.methodNotAllowed(method + " is not accepted on " + Answers.printable(path), found.methods());
    }
    return found;
  }

  /** Completes once the route has dealt with the webhook and the answer is written (or the sender is gone). */
  private Future<?> deliver(HttpServerRequest request, String requestId, String target, Routing routedBy, RouteHandler routed,
                            Buffer body, long start) {
    // Routed again when the routes changed while the body was read: once update() has run, no webhook goes to a
    // retired backend.
    RouteHandler route = routed;
    RoutingInUse using = routing;
    if (routedBy != using.routing()) {
      try {
        route = route(using.routing(), request.method().name(), target).handler();
      } catch (Refusal gone) {
        refusals.refuse(request, requestId, gone, start);
        return Future.succeededFuture();
      }
    }
    Future<Answer> handled;
    using.took();
    try {
      // Inside the try: a defect here too must be answered and give the webhook's slot back, not leave both for good;
      // an Error as well (an OutOfMemoryError while a frame for another node is encoded), which would keep its bytes
      // out of the node's budget until a restart.
      handled = route.handle(new Webhook(requestId, request.method().name(), target, ForwardedHeaders.of(request, requestId, http),
        body));
    } catch (Throwable defect) {
      handled = Future.failedFuture(defect);
    }
    return handled.onComplete(ar -> using.answered()).transform(ar -> {
      if (ar.failed() && ar.cause() instanceof BodyWork.Busy) {
        refusals.refuse(request, requestId, new Refusal(503, "the node is busy with other large webhooks; retry later"), start);
        return Future.succeededFuture();
      }
      if (ar.failed()) {
        // A defect, not the sender's doing: still answered, and the webhook's budget still returned by the caller.
        String line = "webhook " + requestId + " " + request.method() + " " + Answers.printable(path(target)) + ": its route failed";
        long now = System.currentTimeMillis();
        if (now - lastFailureTrace >= FAILURE_TRACE_PERIOD_MS) {
          lastFailureTrace = now;
          LOG.error(line, ar.cause());
        } else {
          LOG.error(line + ": " + ar.cause());
        }
        refusals.refuse(request, requestId, new Refusal(500, "internal error (webhook " + requestId + "); the node's log says why"),
          start);
        return Future.succeededFuture();
      }
      answer(request, requestId, target, body, start, ar.result());
      return Future.succeededFuture();
    });
  }

  private void answer(HttpServerRequest request, String requestId, String target, Buffer body, long start, Answer answer) {
    metrics.webhookAnswered(answer.status(), start);
    HttpServerResponse response = request.response();
    if (admission.draining() && !response.closed() && request.version() != HttpVersion.HTTP_2) {
      // HTTP/2 forbids the header (the stream would fail); its connection was sent a GOAWAY as the drain began.
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    for (Map.Entry<String, String> header : answer.headers()) {
      response.headers().add(header.getKey(), header.getValue());
    }
    Answers.write(response, requestId, answer.status(), answer.contentType(), answer.body());
    if (http.accessLog().enabled()) {
      log.webhook(AccessLines.webhook(request, QueryValues.shown(target, http.accessLog().fullQuery()), requestId, answer.status(), body.length(), start, answer.logDetail().get()));
    }
  }

  private static String path(String target) {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }
}
