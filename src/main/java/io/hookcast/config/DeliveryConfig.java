package io.hookcast.config;

/**
 * Defaults for every backend; each may be overridden per backend.
 *
 * @param timeoutMs            total deadline for a backend's answer (connect + send + response, retries included)
 * @param maxConnections       keep-alive connections per backend and forwarder instance
 * @param maxInFlight          deliveries to one backend running at once (per forwarder instance)
 * @param maxQueued            deliveries waiting for one of those slots; past that the backend is "overloaded"
 * @param maxResponseBodyBytes how much of a backend's response body is kept for the aggregated answer
 * @param retry                retry policy
 * @param circuitBreaker       circuit breaker settings
 * @param async                retries and leases of asynchronous routes
 */
public record DeliveryConfig(long timeoutMs, int maxConnections, int maxInFlight, int maxQueued, int maxResponseBodyBytes,
                             RetryConfig retry, CircuitBreakerConfig circuitBreaker, AsyncDeliveryConfig async) {
}
