package io.hookcast.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A received webhook as every backend must get it. Built once by the ingress and shared, never copied, by all
 * local forwarders: neither the headers nor the body may be modified after construction.
 *
 * @param requestId the id that is the same at every backend and in the logs
 * @param method    the HTTP method as received
 * @param uri       path and query as received, appended to each backend's base path
 * @param headers   the headers to send (end-to-end headers plus X-Forwarded-* and X-Request-Id)
 * @param body      the body, byte for byte
 * @param traceParent the W3C {@code traceparent} of the span its deliveries are children of (its ingress's), or
 *                  {@code null} when it is not traced; not a header: what each backend gets is its own request's
 */
public record Webhook(String requestId, String method, String uri, MultiMap headers, Buffer body, String traceParent) {

  /** An untraced webhook. */
  public Webhook(String requestId, String method, String uri, MultiMap headers, Buffer body) {
    this(requestId, method, uri, headers, body, null);
  }

  /** The same webhook, its deliveries children of {@code traceParent}. */
  public Webhook tracedBy(String traceParent) {
    return new Webhook(requestId, method, uri, headers, body, traceParent);
  }
}
