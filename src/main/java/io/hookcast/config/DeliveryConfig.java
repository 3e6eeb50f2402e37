package io.hookcast.config;

/**
 * {@code delivery} of the configuration: the defaults each backend may override; each key's meaning, range and default:
 * docs/configuration.md, generated from the schema.
 */
public record DeliveryConfig(long timeoutMs, int maxConnections, int maxInFlight, int maxQueued, int maxResponseBodyBytes,
                             RetryConfig retry, CircuitBreakerConfig circuitBreaker, AsyncDeliveryConfig async) {
}
