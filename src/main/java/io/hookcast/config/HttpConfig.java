package io.hookcast.config;

import java.util.List;

/**
 * {@code http} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema.
 *
 * @param tls {@code null} for plain HTTP
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
