package io.hookcast.config;

/**
 * {@code reload} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema.
 */
public record ReloadConfig(long scanPeriodMs) {
}
