package io.hookcast.config;

import java.util.List;

/**
 * How a node joins the cluster when started with {@code -cluster}. Ignored otherwise.
 *
 * @param configFile Hazelcast XML; when the file is absent, the copy bundled in the jar is used
 * @param host       address this node binds and announces for Hazelcast and the event bus
 * @param port       first Hazelcast port tried (auto-incremented when taken)
 * @param members    addresses of other members to join ({@code host} or {@code host:port})
 * @param tls        mutual TLS for the event bus between nodes, or {@code null} for plain TCP
 */
public record ClusterConfig(String configFile, String host, int port, List<String> members, Tls tls) {

  /**
   * PEM files for event-bus TLS: every node presents its certificate and accepts only peers whose certificate
   * the trust list vouches for.
   *
   * @param keyPath   this node's private key (PKCS#8, or PKCS#1 RSA / SEC1 EC)
   * @param certPath  this node's certificate (chain)
   * @param trustPath the certificates (usually one CA) that a peer's certificate must chain to
   */
  public record Tls(String keyPath, String certPath, String trustPath) {
  }
}
