package io.hookcast.config;

/**
 * {@code delivery.retry} or {@code backends[].retry} of the configuration; each key's meaning, range and default:
 * docs/configuration.md, generated from the schema. All retries of one delivery fit inside the backend's
 * {@code timeoutMs}.
 */
public record RetryConfig(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
}
