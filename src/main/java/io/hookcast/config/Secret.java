package io.hookcast.config;

/**
 * A secret read at startup, and where it came from.
 *
 * <p>{@link #toString()} names only the source, so that a configuration printed in a log or an error never
 * carries a secret. Equality includes the value, so that a live reload notices a rotated secret.
 *
 * @param source the variable or file it was read from
 * @param value  the secret itself (for a file, its content trimmed); {@code null} until read, in the step after parsing
 */
public record Secret(SecretSource source, String value) {

  @Override
  public String toString() {
    return "Secret[from " + source + "]";
  }
}
