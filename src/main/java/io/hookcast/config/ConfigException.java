package io.hookcast.config;

/**
 * A configuration that Hookcast refuses to start with. The message names the offending key and the problem,
 * so that it can be shown to an operator as it is.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
