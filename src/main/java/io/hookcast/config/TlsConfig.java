package io.hookcast.config;

/**
 * {@code http.tls} or {@code admin.tls} of the configuration; each key's meaning, range and default:
 * docs/configuration.md, generated from the schema. The files are read after parsing and checked for changes, so that a
 * renewed certificate is served without a restart.
 */
public record TlsConfig(String certFile, String keyFile, long reloadCheckMs) {
}
