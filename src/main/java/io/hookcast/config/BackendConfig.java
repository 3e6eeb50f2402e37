package io.hookcast.config;

import java.net.URI;
import java.util.List;

/**
 * One backend that receives every webhook, with every delivery setting resolved (its own or the default), so
 * that two configs deliver the same way exactly when their records are equal.
 *
 * @param name                 unique name; keys the backend's entry in the answer and its event-bus address
 * @param url                  base URL; the webhook's path and query are appended to its path
 * @param host                 the URL's host (kept apart because {@link URI#getHost()} refuses names such as
 *                             {@code backend_one}, which docker-compose service names often are)
 * @param port                 the URL's port, or the scheme's default
 * @param timeoutMs            total deadline for this backend's answer, retries included
 * @param maxConnections       keep-alive connections per forwarder instance
 * @param maxInFlight          deliveries running at once per forwarder instance
 * @param maxQueued            deliveries waiting per forwarder instance
 * @param maxResponseBodyBytes how much of the response body is kept
 * @param retry                retry policy
 * @param circuitBreaker       circuit breaker settings
 * @param asyncScheduleMs      waits before each retry of an asynchronous delivery (its own or delivery.async's)
 * @param sign                 how deliveries to it are signed, or {@code null} when they are not
 * @param rate                 how fast async deliveries may go to it from one node, or {@code null} for as fast as it answers
 */
public record BackendConfig(String name, URI url, String host, int port, long timeoutMs, int maxConnections,
                            int maxInFlight, int maxQueued, int maxResponseBodyBytes,
                            RetryConfig retry, CircuitBreakerConfig circuitBreaker, List<Long> asyncScheduleMs,
                            SignConfig sign, RateConfig rate) {

  public boolean ssl() {
    return "https".equals(url.getScheme());
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
