package io.hookcast.config;

import java.util.List;

/**
 * {@code demo} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema. It exists so that a fresh checkout answers the README's curl examples at once.
 */
public record DemoConfig(String host, List<DemoBackend> backends) {

  public record DemoBackend(String name, int port) {
  }
}
