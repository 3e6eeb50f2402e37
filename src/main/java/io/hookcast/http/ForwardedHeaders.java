package io.hookcast.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The headers every backend receives: the sender's end-to-end headers (event names, delivery ids, signatures),
 * without hop-by-hop headers (RFC 9110 section 7.6.1), plus X-Forwarded-* and the request id.
 */
final class ForwardedHeaders {

  static final String REQUEST_ID = "X-Request-Id";

  /**
   * Names never copied, compared without regard to case (and without lower-casing every received name).
   * {@code Host} is the backend's own; {@code Content-Length} is recomputed for the buffered body;
   * {@code Expect} was answered by Hookcast itself.
   */
  private static final Set<String> NOT_FORWARDED = caseInsensitive(List.of(
    "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
    "proxy-connection", "proxy-authenticate", "proxy-authorization",
    "host", "content-length", "expect"));

  private ForwardedHeaders() {
  }

  static MultiMap of(HttpServerRequest request, String requestId) {
    MultiMap received = request.headers();
    Set<String> listedInConnection = connectionTokens(received);
    MultiMap forwarded = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : received) {
      String name = header.getKey();
      if (!NOT_FORWARDED.contains(name) && !listedInConnection.contains(name)) {
        forwarded.add(header.getKey(), header.getValue());
      }
    }
    String clientAddress = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (clientAddress != null) {
      String priorHops = forwarded.get("X-Forwarded-For");
      forwarded.set("X-Forwarded-For", priorHops == null ? clientAddress : priorHops + ", " + clientAddress);
    }
    // A TLS terminator in front of Hookcast already said how the sender connected; keep its word.
    if (!forwarded.contains("X-Forwarded-Proto")) {
      forwarded.set("X-Forwarded-Proto", request.isSSL() ? "https" : "http");
    }
    HostAndPort authority = request.authority();
    if (!forwarded.contains("X-Forwarded-Host") && authority != null) {
      forwarded.set("X-Forwarded-Host", authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host());
    }
    forwarded.set(REQUEST_ID, requestId);
    return forwarded;
  }

  private static Set<String> connectionTokens(MultiMap headers) {
    List<String> values = headers.getAll("Connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    List<String> tokens = new ArrayList<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.trim());
        }
      }
    }
    return caseInsensitive(tokens);
  }

  private static Set<String> caseInsensitive(List<String> names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    return set;
  }
}
