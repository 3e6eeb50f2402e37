package io.hookcast.config;

/**
 * Where a secret was read from. Safe to print: it names the variable or file, never the secret.
 *
 * @param kind an environment variable or a file
 * @param name the variable's name or the file's path
 */
public record SecretSource(Kind kind, String name) {

  public enum Kind { ENV, FILE }

  @Override
  public String toString() {
    return (kind == Kind.ENV ? "environment variable " : "file ") + name;
  }
}
