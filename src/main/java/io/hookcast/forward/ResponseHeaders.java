package io.hookcast.forward;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The headers of a backend's response that may be passed on to the sender: all but the hop-by-hop ones (RFC 9110
 * section 7.6.1, and those the response's {@code Connection} lists), which describe the connection between Hookcast
 * and the backend, and {@code Content-Length}, which is recomputed for the body as it is sent on.
 */
final class ResponseHeaders {

  private static final Set<String> NOT_PASSED_ON = caseInsensitive(List.of(
    "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
    "proxy-connection", "proxy-authenticate", "proxy-authorization", "content-length"));

  private ResponseHeaders() {
  }

  static List<Map.Entry<String, String>> endToEnd(MultiMap received) {
    Set<String> listedInConnection = caseInsensitive(connectionTokens(received));
    List<Map.Entry<String, String>> kept = new ArrayList<>(received.size());
    for (Map.Entry<String, String> header : received) {
      if (!NOT_PASSED_ON.contains(header.getKey()) && !listedInConnection.contains(header.getKey())) {
        kept.add(Map.entry(header.getKey(), header.getValue()));
      }
    }
    return kept;
  }

  private static List<String> connectionTokens(MultiMap headers) {
    List<String> tokens = new ArrayList<>();
    for (String value : headers.getAll("Connection")) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.trim());
        }
      }
    }
    return tokens;
  }

  private static Set<String> caseInsensitive(List<String> names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    return set;
  }
}
