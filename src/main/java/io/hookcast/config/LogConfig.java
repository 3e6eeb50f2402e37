package io.hookcast.config;

/**
 * {@code log} of the configuration; each key's meaning and default: docs/configuration.md, generated from the schema.
 */
public record LogConfig(Format format) {

  public enum Format { TEXT, JSON }
}
