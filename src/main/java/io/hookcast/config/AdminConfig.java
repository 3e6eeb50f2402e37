package io.hookcast.config;

/**
 * The admin listener (health, readiness), on its own port so that no webhook path is ever shadowed.
 * Loopback by default: set {@code host} to 0.0.0.0 where probes come from outside (Kubernetes).
 *
 * @param tls HTTPS on this listener, or {@code null} for plain HTTP
 */
public record AdminConfig(String host, int port, TlsConfig tls) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9080;
}
