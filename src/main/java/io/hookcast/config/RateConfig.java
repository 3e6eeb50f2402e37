package io.hookcast.config;

/**
 * {@code backends[].rate} of the configuration; each key's meaning, range and default: docs/configuration.md, generated
 * from the schema. The rate adapts: the backend pushing back (429, 503, a {@code Retry-After}, or answers slower than
 * {@code slowMs}) halves it at once, and deliveries after that raise it back by a twentieth of {@code perSecond} at
 * most every 200 ms, up to {@code perSecond}.
 */
public record RateConfig(int perSecond, int burst, long slowMs) {
}
