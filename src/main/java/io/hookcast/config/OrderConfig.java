package io.hookcast.config;

/**
 * {@code routes[].order.key} of the configuration, taken on async routes only; each key's meaning:
 * docs/configuration.md, generated from the schema. Exactly one of the two is set.
 */
public record OrderConfig(String header, String json) {
}
