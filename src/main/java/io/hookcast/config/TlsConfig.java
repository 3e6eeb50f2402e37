package io.hookcast.config;

/**
 * A listener's TLS: PEM files, checked for changes so that a renewed certificate is served without a restart.
 *
 * @param certFile      PEM certificate chain, the listener's own certificate first
 * @param keyFile       PEM private key of that certificate
 * @param reloadCheckMs how often the files' modification times are compared with those last loaded
 */
public record TlsConfig(String certFile, String keyFile, long reloadCheckMs) {
}
