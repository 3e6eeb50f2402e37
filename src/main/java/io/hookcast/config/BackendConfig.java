package io.hookcast.config;

import java.net.URI;
import java.util.List;

/**
 * One of {@code backends[]} of the configuration; each key's meaning, range and default: docs/configuration.md,
 * generated from the schema. Every delivery setting is resolved (its own or {@code delivery}'s, key by key), so that
 * two configs deliver the same way exactly when their records are equal.
 *
 * @param host                 the URL's host, kept apart because {@link URI#getHost()} refuses names such as
 *                             {@code backend_one}, which docker-compose service names often are
 * @param port                 the URL's port, or the scheme's default
 * @param maxResponseBodyBytes always {@code delivery.maxResponseBodyBytes}: a backend cannot set its own
 * @param asyncScheduleMs      {@code async.schedule} in milliseconds, its own or {@code delivery.async.schedule}
 * @param sign                 {@code null} when deliveries to it are not signed
 * @param rate                 {@code null} for as fast as it answers
 */
public record BackendConfig(String name, URI url, String host, int port, long timeoutMs, int maxConnections,
                            int maxInFlight, int maxQueued, int maxResponseBodyBytes,
                            RetryConfig retry, CircuitBreakerConfig circuitBreaker, List<Long> asyncScheduleMs,
                            SignConfig sign, RateConfig rate) {

  public boolean ssl() {
    return "https".equals(url.getScheme());
  }

  /**
   * {@code scheme://host:port}: what log lines and alerts show of the URL, since the path of an incoming webhook
   * (Slack's, Discord's, Zapier's) is its credential. The name says which backend it is.
   */
  public String origin() {
    return url.getScheme() + "://" + host + ":" + port;
  }

  /** The URL's path without its trailing slash, so that appending the webhook's URI never doubles a slash. */
  public String basePath() {
    String path = url.getRawPath();
    if (path == null) {
      return "";
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** The same backend, signing by {@code sign} (its secrets read, say). */
  public BackendConfig withSign(SignConfig sign) {
    return new BackendConfig(name, url, host, port, timeoutMs, maxConnections, maxInFlight, maxQueued, maxResponseBodyBytes,
      retry, circuitBreaker, asyncScheduleMs, sign, rate);
  }
}
