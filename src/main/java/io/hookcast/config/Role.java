package io.hookcast.config;

import java.util.Locale;

/** The schema's {@code roles[]} values. */
public enum Role {
  INGRESS, FORWARDER;

  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
