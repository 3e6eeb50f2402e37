package io.hookcast.config;

import java.nio.file.Path;

/**
 * {@code store} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema.
 *
 * @param url {@code null} for the embedded store at {@code path}
 */
public record StoreConfig(Path path, String url, String user, String password, long retentionHours, long timeoutMs) {

  /**
   * The largest body a store keeps, whatever {@code http.maxBodyBytes} says: both stores accept and hand one this
   * large to the scheduler well within the default {@code store.timeoutMs} (the store contract tests check it), where
   * at 128 MiB a PostgreSQL accept took up to 4.9 s on a loaded machine, and at 256 MiB longer than 5 s.
   */
  public static final long MAX_BODY_BYTES = 64L * 1024 * 1024;

  public boolean embedded() {
    return url == null;
  }

  /**
   * {@code url} without the password it may hold ({@code postgresql://user:secret@host/db}, {@code ?password=secret}),
   * read from the text: a URL that does not parse (a password with an unencoded {@code /} or {@code @}) must not
   * print it either.
   */
  public String urlWithoutPassword() {
    if (url == null) {
      return null;
    }
    String shown = url;
    int scheme = shown.indexOf("://");
    int at = shown.lastIndexOf('@');
    int colon = shown.indexOf(':', scheme < 0 ? 0 : scheme + 3);
    if (colon >= 0 && colon < at) {
      shown = shown.substring(0, colon + 1) + "<redacted>" + shown.substring(at);
    }
    return shown.replaceAll("(?i)([?&]password=)[^&]*", "$1<redacted>");
  }

  @Override
  public String toString() {
    // Never print the password: configs are logged when they change.
    return "StoreConfig[path=" + path + ", url=" + urlWithoutPassword() + ", user=" + user + ", retentionHours=" + retentionHours
      + ", timeoutMs=" + timeoutMs + "]";
  }
}
