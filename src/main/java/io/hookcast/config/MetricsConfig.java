package io.hookcast.config;

/**
 * {@code metrics} of the configuration; each key's meaning and default: docs/configuration.md, generated from the
 * schema.
 */
public record MetricsConfig(boolean enabled) {
}
