package io.hookcast.config;

import java.util.List;

/**
 * The ingress listener.
 *
 * @param host                  interface to bind
 * @param port                  port to bind; 0 picks a free one (tests)
 * @param maxBodyBytes          largest webhook body accepted; larger ones are answered 413
 * @param maxConcurrentWebhooks webhooks being received or delivered at once on this node; past it, 503
 * @param maxBufferedBytes      bytes of webhook bodies held at once on this node; past it, 503
 * @param idleTimeoutMs         a connection that sends or receives nothing for this long is closed
 * @param requestTimeoutMs      a request's headers and body must have arrived within this long, else 408
 * @param accessLog             the webhook log
 * @param maxHeaderBytes        largest request header block; larger ones are answered 431
 * @param maxHeaderCount        most request header fields; more are answered 431
 * @param trustedProxies        peers whose X-Forwarded-* and Forwarded headers are believed; empty: none
 * @param answerDetail          how much of each backend's outcome the sender is told
 * @param tls                   HTTPS on this listener, or {@code null} for plain HTTP
 */
public record HttpConfig(String host, int port, long maxBodyBytes, int maxConcurrentWebhooks, long maxBufferedBytes,
                         long idleTimeoutMs, long requestTimeoutMs, AccessLogConfig accessLog, int maxHeaderBytes,
                         int maxHeaderCount, List<AddressBlock> trustedProxies, AnswerDetail answerDetail, TlsConfig tls) {

  public HttpConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** Half the heap: bodies must fit in memory with room to spare, whatever -Xmx the node runs with. */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = Runtime.getRuntime().maxMemory() / 2;

  /** Whether {@code peer} (an address literal as Vert.x reports it) is a trusted proxy. */
  public boolean trusts(String peer) {
    for (AddressBlock block : trustedProxies) {
      if (block.contains(peer)) {
        return true;
      }
    }
    return false;
  }
}
