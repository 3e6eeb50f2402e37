package io.hookcast.config;

/**
 * Retries of one delivery, all inside the backend's {@code timeoutMs}.
 *
 * @param maxAttempts      attempts in all, the first included; 1 disables retries
 * @param initialBackoffMs cap of the first backoff; doubled for each later one (full jitter: a random wait up to the cap)
 * @param maxBackoffMs     largest cap
 */
public record RetryConfig(int maxAttempts, long initialBackoffMs, long maxBackoffMs) {
}
