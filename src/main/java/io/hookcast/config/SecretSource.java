package io.hookcast.config;

/**
 * Where a secret was read from. Safe to print: it names the variable or file, never the secret.
 *
 * @param kind an environment variable, a file, or a key of the configuration itself
 * @param name the variable's name, the file's path or the key
 */
public record SecretSource(Kind kind, String name) {

  public enum Kind { ENV, FILE, CONFIG }

  @Override
  public String toString() {
    return switch (kind) {
      case ENV -> "environment variable " + name;
      case FILE -> "file " + name;
      case CONFIG -> "configuration key " + name;
    };
  }
}
