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
 */
public record Webhook(String requestId, String method, String uri, MultiMap headers, Buffer body) {
}
