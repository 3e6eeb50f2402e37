package io.hookcast.config;

/**
 * Defaults for every backend; a backend may override {@code timeoutMs} and {@code maxConnections}.
 *
 * @param timeoutMs              total deadline for a backend's answer (connect + send + response)
 * @param maxConnections         keep-alive connections per backend and forwarder instance
 * @param maxResponseBodyBytes   how much of a backend's response body is kept for the aggregated answer
 */
public record DeliveryConfig(long timeoutMs, int maxConnections, int maxResponseBodyBytes) {

  /** Below GitHub's 10 s; senders such as Slack give up after 3 s, so lower it for them. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  public static final int DEFAULT_MAX_RESPONSE_BODY_BYTES = 64 * 1024;
}
