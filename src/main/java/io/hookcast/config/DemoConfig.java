package io.hookcast.config;

import java.util.List;

/**
 * Demo backends started in-process, so that a fresh checkout answers the README's curl examples at once.
 * Empty in production configurations.
 */
public record DemoConfig(String host, List<DemoBackend> backends) {

  public record DemoBackend(String name, int port) {
  }
}
