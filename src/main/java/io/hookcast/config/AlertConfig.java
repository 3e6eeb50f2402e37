package io.hookcast.config;

import java.net.URI;
import java.util.Set;

/**
 * One of {@code alerts[]} of the configuration; each key's meaning, range and default: docs/configuration.md, generated
 * from the schema.
 *
 * @param host   the URL's host, kept apart as {@link BackendConfig#host()} is
 * @param port   the URL's port, or the scheme's default
 * @param events the constants below
 * @param sign   {@code null} when the events are not signed
 */
public record AlertConfig(URI url, String host, int port, Set<String> events, long backlogAgeSeconds, long quietSeconds,
                          Format format, SignConfig sign) {

  public static final String CIRCUIT_OPEN = "backend.circuit_open";
  public static final String RECOVERED = "backend.recovered";
  public static final String DEAD = "delivery.dead";
  public static final String BACKLOG_AGE = "backlog.age";
  public static final String STORE_UNAVAILABLE = "store.unavailable";
  public static final String STORE_RECOVERED = "store.recovered";

  public enum Format { JSON, SLACK }

  public AlertConfig {
    events = Set.copyOf(events);
  }

  public boolean ssl() {
    return "https".equals(url.getScheme());
  }

  /** The same receiver, signed by {@code sign} (its secrets read, say). */
  public AlertConfig withSign(SignConfig sign) {
    return new AlertConfig(url, host, port, events, backlogAgeSeconds, quietSeconds, format, sign);
  }
}
