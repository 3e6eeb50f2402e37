package io.hookcast.config;

import java.nio.file.Path;

/**
 * Where asynchronous routes keep their messages until every backend has them.
 *
 * @param path           directory of the embedded store, created on first start (used when {@code url} is absent)
 * @param url            a {@code postgresql://host:port/db} URL; absent for the embedded store
 * @param user           PostgreSQL user, or {@code null} to take it from the URL
 * @param password       PostgreSQL password, or {@code null}
 * @param retentionHours delivered and dead messages are purged this long after their last delivery ended
 * @param timeoutMs      the longest an accept waits for its commit: past it the sender is answered 503, so that a
 *                       store that hangs (a paused server, a partition) never holds senders without an answer
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
