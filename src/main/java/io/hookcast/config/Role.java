package io.hookcast.config;

import java.util.Locale;

/** What a node runs: the HTTP ingress, the forwarders, or (by default) both. */
public enum Role {
  INGRESS, FORWARDER;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
