package io.hookcast.config;

/**
 * The ingress listener.
 *
 * @param host         interface to bind
 * @param port         port to bind; 0 picks a free one (tests)
 * @param maxBodyBytes largest webhook body accepted; larger ones are answered 413
 * @param accessLog    whether each webhook is logged with its request id and outcome
 */
public record HttpConfig(String host, int port, long maxBodyBytes, boolean accessLog) {

  public static final String DEFAULT_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 8080;
  /** GitHub's own cap on webhook payloads. */
  public static final long DEFAULT_MAX_BODY_BYTES = 25L * 1024 * 1024;
}
