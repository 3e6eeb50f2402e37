package io.hookcast.config;

import java.util.List;
import java.util.Map;

/**
 * One of {@code routes[]} of the configuration; each key's meaning, range and default: docs/configuration.md, generated
 * from the schema.
 *
 * @param path    without its trailing slash; matches itself and everything below it ({@code /github} matches
 *                {@code /github/x}, not {@code /githubx})
 * @param dedup   {@link DedupConfig#enabled()} false for none
 * @param verify  {@code null} when the sender's signature is not checked
 * @param deliver backends not named get every webhook
 * @param primary from {@code answer} and {@code primary}: the backend whose response the sender gets verbatim, or
 *                {@code null} for the aggregated answer
 * @param methods upper case, as requests' methods are compared
 * @param order   {@code null} for no ordering
 */
public record RouteConfig(String path, List<String> backends, Mode mode, DedupConfig dedup, VerifyConfig verify,
                          Map<String, DeliveryCondition> deliver, String primary, List<String> methods,
                          OrderConfig order) {

  public enum Mode { SYNC, ASYNC }

  public RouteConfig {
    backends = List.copyOf(backends);
    deliver = Map.copyOf(deliver);
    methods = List.copyOf(methods);
  }

  /** The same route, verifying by {@code verify} (its secrets read, say). */
  public RouteConfig withVerify(VerifyConfig verify) {
    return new RouteConfig(path, backends, mode, dedup, verify, deliver, primary, methods, order);
  }

  /**
   * {@code routes[].dedup}, with the defaults that depend on the route's {@code verify} resolved by the parser.
   *
   * @param headers with {@link Key#HEADER}: the first of these present on a webhook is its sender id; empty turns
   *                deduplication off
   */
  public record DedupConfig(Key key, List<String> headers, long windowHours) {

    /** The schema's default of {@code routes[].dedup.header}. */
    public static final List<String> DEFAULT_HEADERS = ConfigJson.strings(ConfigSchema.defaultOf("routes[].dedup.header"));
    /**
     * The only id a signature covers among the schemes Hookcast verifies: Standard Webhooks signs it with the body,
     * under its own name or Svix's; the first present is the one checked, as it is the sender id.
     */
    public static final List<String> SIGNED_ID_HEADERS = List.of("webhook-id", "svix-id");

    public enum Key {
      HEADER, BODY
    }

    public DedupConfig {
      headers = key == Key.BODY ? List.of() : List.copyOf(headers);
    }

    public boolean enabled() {
      return key == Key.BODY || !headers.isEmpty();
    }
  }
}
