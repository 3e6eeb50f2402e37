package io.hookcast.config;

/**
 * {@code http.accessLog} of the configuration, written as {@code true}, {@code false} or an object; each key's meaning
 * and default: docs/configuration.md, generated from the schema.
 *
 * @param fullQuery whether {@code http.accessLog.query} is {@code full}
 */
public record AccessLogConfig(boolean enabled, boolean fullQuery) {
}
