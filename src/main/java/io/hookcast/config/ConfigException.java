package io.hookcast.config;

/**
 * A configuration that Hookcast refuses to start with. The message names the offending key and the problem,
 * so that it can be shown to an operator as it is.
 */
public final class ConfigException extends RuntimeException {

  private final String key;
  /** The {@code HOOKCAST_*} variable the message names as having set {@link #key}, or {@code null}. */
  private final String variable;

  public ConfigException(String message) {
    this(null, message, null, null);
  }

  public ConfigException(String message, Throwable cause) {
    this(null, message, cause, null);
  }

  private ConfigException(String key, String message, Throwable cause, String variable) {
    super(message, cause);
    this.key = key;
    this.variable = variable;
  }

  /**
   * A problem with one key's value, worded {@code key: problem}; the key is kept apart so that the error can be
   * traced to the {@code HOOKCAST_*} variable that set the value.
   */
  public static ConfigException at(String key, String problem) {
    return new ConfigException(key, key + ": " + problem, null, null);
  }

  /** The key whose value is refused, as messages name keys ({@code backends[0].url}); {@code null} when it is not one key's. */
  public String key() {
    return key;
  }

  /**
   * The same error, naming the variable that set its key: the file may say something else, and the operator looks
   * there first. Named once, however many places pass it on.
   */
  ConfigException setBy(String variable) {
    return this.variable != null ? this : new ConfigException(key, getMessage() + " (set by " + variable + ")", this, variable);
  }
}
