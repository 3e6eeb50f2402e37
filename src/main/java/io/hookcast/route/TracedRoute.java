package io.hookcast.route;

import io.hookcast.bus.Webhook;
import io.hookcast.config.RouteConfig;
import io.hookcast.http.HookcastHeaders;
import io.hookcast.telemetry.Tracing;
import io.hookcast.work.BodyWork;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;

import java.util.Locale;
import java.util.Map;

/**
 * A route's webhooks under a server span each (continuing the sender's {@code traceparent}, if any), whose context
 * the webhook carries to every delivery, store write and later attempt. Only wraps routes when tracing is on, so
 * that a node that does not trace pays nothing per webhook. The access log's line ends with the trace id, for a
 * person to go from the line to the trace.
 */
final class TracedRoute implements RouteHandler {

  private final Tracing tracing;
  private final String route;
  private final String mode;
  private final RouteHandler traced;

  TracedRoute(Tracing tracing, String route, RouteConfig.Mode mode, RouteHandler traced) {
    this.tracing = tracing;
    this.route = route;
    this.mode = mode.name().toLowerCase(Locale.ROOT);
    this.traced = traced;
  }

  @Override
  public Future<Answer> handle(Webhook webhook) {
    Span span = tracing.ingress(webhook.headers(), webhook.method(), route, mode, webhook.requestId());
    String traceId = Tracing.traceId(span);
    return traced.handle(webhook.tracedBy(Tracing.traceParent(span))).map(answer -> {
      Tracing.endIngress(span, answer.status(), messageId(answer, webhook));
      return traceId == null ? answer : new Answer(answer.status(), answer.contentType(), answer.body(), answer.headers(),
        () -> answer.logDetail().get() + " trace=" + traceId);
      // The handler answers a route whose large-body workers are busy 503 (Retry-After), any other failure 500.
    }).onFailure(failure -> Tracing.endIngress(span, failure instanceof BodyWork.Busy ? 503 : 500, webhook.requestId()));
  }

  /** An async route's stored message id, else the request id: what a person looks the webhook up by. */
  private static String messageId(Answer answer, Webhook webhook) {
    for (Map.Entry<String, String> header : answer.headers()) {
      if (HookcastHeaders.MESSAGE_ID.equalsIgnoreCase(header.getKey())) {
        return header.getValue();
      }
    }
    return webhook.requestId();
  }
}
