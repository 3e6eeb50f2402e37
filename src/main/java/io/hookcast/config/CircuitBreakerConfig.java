package io.hookcast.config;

/**
 * {@code delivery.circuitBreaker} or {@code backends[].circuitBreaker} of the configuration; each key's meaning, range
 * and default: docs/configuration.md, generated from the schema.
 */
public record CircuitBreakerConfig(int failureThreshold, long resetTimeoutMs) {
}
