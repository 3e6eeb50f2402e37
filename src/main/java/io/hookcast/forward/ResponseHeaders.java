package io.hookcast.forward;

import io.hookcast.http.HopByHop;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The headers of a backend's response that may be passed on to the sender: all but the hop-by-hop ones (RFC 9110
 * section 7.6.1, and those the response's {@code Connection} lists), which describe the connection between Hookcast
 * and the backend, and {@code Content-Length}, which is recomputed for the body as it is sent on.
 */
final class ResponseHeaders {

  private static final Set<String> NOT_PASSED_ON = HopByHop.namesAnd("content-length");

  private ResponseHeaders() {
  }

  static List<Map.Entry<String, String>> endToEnd(MultiMap received) {
    Set<String> listedInConnection = HopByHop.listedInConnection(received);
    List<Map.Entry<String, String>> kept = new ArrayList<>(received.size());
    for (Map.Entry<String, String> header : received) {
      if (!NOT_PASSED_ON.contains(header.getKey()) && !listedInConnection.contains(header.getKey())) {
        kept.add(Map.entry(header.getKey(), header.getValue()));
      }
    }
    return kept;
  }
}
