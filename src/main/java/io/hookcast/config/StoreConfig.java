package io.hookcast.config;

import java.nio.file.Path;

/**
 * {@code store} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema.
 *
 * @param url {@code null} for the embedded store at {@code path}
 */
public record StoreConfig(Path path, String url, String user, String password, long retentionHours, long timeoutMs) {

  public boolean embedded() {
    return url == null;
  }

  @Override
  public String toString() {
    // Never print the password: configs are logged when they change.
    return "StoreConfig[path=" + path + ", url=" + url + ", user=" + user + ", retentionHours=" + retentionHours
      + ", timeoutMs=" + timeoutMs + "]";
  }
}
