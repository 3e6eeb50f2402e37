package io.hookcast.config;

import java.net.URI;
import java.util.Set;

/**
 * One receiver of operational alerts ({@code alerts[]}): a URL Hookcast POSTs a small JSON event to when a backend's
 * circuit opens or closes again, a delivery goes dead, or the backlog grows old.
 *
 * @param url               where the events go ({@code http://} or {@code https://})
 * @param host              the URL's host (kept apart, as a backend's is)
 * @param port              the URL's port, or the scheme's default
 * @param events            which events this receiver gets: the constants below
 * @param backlogAgeSeconds {@code backlog.age} fires when a backend's oldest pending message is older than this
 * @param quietSeconds      after an alert, the same event for the same backend is not sent again for this long
 * @param format            {@code json} (Hookcast's event) or {@code slack} (Slack's {@code {"text": …}})
 * @param sign              how the events are signed (Standard Webhooks), or {@code null} when they are not
 */
public record AlertConfig(URI url, String host, int port, Set<String> events, long backlogAgeSeconds, long quietSeconds,
                          Format format, SignConfig sign) {

  public static final String CIRCUIT_OPEN = "backend.circuit_open";
  public static final String RECOVERED = "backend.recovered";
  public static final String DEAD = "delivery.dead";
  public static final String BACKLOG_AGE = "backlog.age";

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
