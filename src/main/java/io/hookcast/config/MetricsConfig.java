package io.hookcast.config;

/** @param enabled Prometheus metrics on the admin listener's {@code /metrics} */
public record MetricsConfig(boolean enabled) {
}
