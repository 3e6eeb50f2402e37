package io.hookcast.config;

/**
 * @param failureThreshold consecutive failed deliveries (transport error, timeout or 5xx) that open the circuit
 * @param resetTimeoutMs   how long an open circuit answers 503 at once before letting a probe through
 */
public record CircuitBreakerConfig(int failureThreshold, long resetTimeoutMs) {
}
