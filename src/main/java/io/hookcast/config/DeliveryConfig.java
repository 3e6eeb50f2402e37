package io.hookcast.config;

/**
 * {@code delivery} of the configuration: the defaults each backend may override; each key's meaning, range and default:
 * docs/configuration.md, generated from the schema.
 */
public record DeliveryConfig(long timeoutMs, int maxConnections, int maxInFlight, int maxQueued, int maxResponseBodyBytes,
                             RetryConfig retry, CircuitBreakerConfig circuitBreaker, AsyncDeliveryConfig async) {

  /** The schema's maximum of {@code maxResponseBodyBytes}, which bounds what a reply between nodes can carry. */
  public static final int MAX_RESPONSE_BODY_BYTES = 16 * 1024 * 1024;
}
