package io.hookcast.ingress;

import io.hookcast.config.HttpConfig;
import io.hookcast.http.HopByHop;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The headers every backend receives: the sender's end-to-end headers (event names, delivery ids, signatures,
 * and {@code Authorization}/{@code Cookie} as received, since senders authenticate that way), without hop-by-hop
 * headers (RFC 9110 section 7.6.1), plus X-Forwarded-* and the request id.
 * <p>
 * X-Forwarded-* is what an edge proxy would send (NGINX's {@code $proxy_add_x_forwarded_for}, Envoy's
 * {@code use_remote_address}): from a peer that is not a trusted proxy, {@code X-Forwarded-Proto} and
 * {@code X-Forwarded-Host} are replaced by what Hookcast itself saw, and {@code Forwarded} (RFC 7239) and the other
 * proxy headers are dropped, because frameworks such as Spring act on them and would take what the sender wrote. From a
 * trusted proxy (see {@code http.trustedProxies}) they are kept, and only filled in where missing. Either way the
 * peer's address is appended to {@code X-Forwarded-For}, so its last entry is always the true one.
 */
final class ForwardedHeaders {

  private static final String FORWARDED_FOR = "X-Forwarded-For";
  private static final String FORWARDED_PROTO = "X-Forwarded-Proto";
  private static final String FORWARDED_HOST = "X-Forwarded-Host";
  /**
   * Names never copied: the hop-by-hop ones; {@code Host} is the backend's own; {@code Content-Length} is recomputed
   * for the buffered body; {@code Expect} was answered by Hookcast itself; {@code Accept-Encoding}, which the
   * forwarder sets to {@code identity} (see forward.BackendCall);
   * {@code Proxy}, which CGI backends take for their own proxy (httpoxy). A sender's {@code X-Hookcast-Message-Id}
   * is kept: from a Hookcast in front, it is what this one's routes and backends deduplicate its retries by.
   */
  private static final Set<String> NOT_FORWARDED = HopByHop.namesAnd("host", "content-length", "expect", "accept-encoding",
    "proxy");

  /**
   * Also not copied from a peer that is not a trusted proxy, since only a proxy may say them: Proto and Host are then
   * filled in with what Hookcast saw; the others (frameworks such as Spring believe Port, Prefix and Ssl) are not.
   */
  private static final Set<String> NOT_FORWARDED_FROM_OTHERS = plus(NOT_FORWARDED, FORWARDED_PROTO, FORWARDED_HOST,
    "Forwarded", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Forwarded-Ssl", "X-Forwarded-Scheme", "X-Forwarded-Server",
    "X-Real-IP", "True-Client-IP", "X-Client-IP");
  /**
   * Proxy headers as CGI, WSGI and Rack servers see them: {@code X_Real_IP} and {@code X-Real-IP} become one variable,
   * so from a peer that is not a trusted proxy an underscore spelling of any of them (or of X-Forwarded-For, which
   * such a server may take instead of Hookcast's) is dropped, as NGINX drops every name with an underscore.
   */
  private static final Set<String> PROXY_HEADERS = plus(NOT_FORWARDED_FROM_OTHERS, FORWARDED_FOR);

  private ForwardedHeaders() {
  }

  static MultiMap of(HttpServerRequest request, String requestId, HttpConfig http) {
    MultiMap received = request.headers();
    Set<String> listedInConnection = HopByHop.listedInConnection(received);
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    boolean trusted = peer != null && http.trusts(peer);
    // One look-up per received header, rather than a removal per proxy header name for every untrusted request.
    Set<String> dropped = trusted ? NOT_FORWARDED : NOT_FORWARDED_FROM_OTHERS;
    MultiMap forwarded = MultiMap.caseInsensitiveMultiMap();
    for (Map.Entry<String, String> header : received) {
      String name = header.getKey();
      if (!dropped.contains(name) && !listedInConnection.contains(name)
        && (trusted || name.indexOf('_') < 0 || !PROXY_HEADERS.contains(name.replace('_', '-')))) {
        forwarded.add(header.getKey(), header.getValue());
      }
    }
    if (peer != null) {
      List<String> priorHops = forwarded.getAll(FORWARDED_FOR);
      forwarded.set(FORWARDED_FOR, priorHops.isEmpty() ? peer : String.join(", ", priorHops) + ", " + peer);
    }
    if (!forwarded.contains(FORWARDED_PROTO)) {
      forwarded.set(FORWARDED_PROTO, request.isSSL() ? "https" : "http");
    }
    HostAndPort authority = request.authority();
    if (!forwarded.contains(FORWARDED_HOST) && authority != null) {
      forwarded.set(FORWARDED_HOST, authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host());
    }
    forwarded.set(RequestIds.HEADER, requestId);
    return forwarded;
  }

  private static Set<String> plus(Set<String> names, String... more) {
    Set<String> all = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    all.addAll(names);
    all.addAll(List.of(more));
    return all;
  }
}
