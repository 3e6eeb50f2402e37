package io.hookcast.config;

import java.net.URI;

/**
 * One backend that receives every webhook.
 *
 * @param name           unique name; keys the backend's entry in the aggregated answer and its event-bus address
 * @param url            base URL; the webhook's path and query are appended to its path
 * @param timeoutMs      total deadline for this backend's answer
 * @param maxConnections keep-alive connections to this backend per forwarder instance
 */
public record BackendConfig(String name, URI url, long timeoutMs, int maxConnections) {

  public boolean ssl() {
    return "https".equals(url.getScheme());
  }

  public String host() {
    return url.getHost();
  }

  public int port() {
    return url.getPort() != -1 ? url.getPort() : ssl() ? 443 : 80;
  }

  /** The URL's path without its trailing slash, so that appending the webhook's URI never doubles a slash. */
  public String basePath() {
    String path = url.getRawPath();
    if (path == null) {
      return "";
    }
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
