package io.hookcast.config;

import java.util.List;
import java.util.Map;

/**
 * A path prefix and the backends its webhooks go to.
 *
 * @param path     matches itself and everything below it ({@code /github} matches {@code /github/x}, not {@code /githubx})
 * @param backends names from {@code backends[]}, each delivered every webhook of the route
 * @param mode     {@link Mode#SYNC}: answered with every backend's result; {@link Mode#ASYNC}: answered 202 once stored
 * @param dedup    how repeated sender deliveries are recognised on an async route; {@link DedupConfig#OFF} for none
 * @param verify   how the sender's signature is checked, or {@code null} when it is not
 * @param deliver  per backend, the condition a webhook must meet to be delivered to it; backends not named get all
 * @param primary  on a sync route, the backend whose response the sender gets verbatim (what providers' verification
 *                 handshakes need), or {@code null} for the aggregated answer
 * @param methods  the HTTP methods the route takes, upper case; any other is answered 405 by Hookcast
 * @param order    on an async route, where a webhook's order key is, or {@code null} for no ordering
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
   * @param key         where a webhook's sender id comes from
   * @param headers     with {@link Key#HEADER}: the first of these present on a webhook is its sender id; empty turns
   *                    deduplication off
   * @param windowHours a sender id seen on the route this recently is a duplicate
   */
  public record DedupConfig(Key key, List<String> headers, long windowHours) {

    public static final List<String> DEFAULT_HEADERS = List.of("X-GitHub-Delivery", "webhook-id", "X-Shopify-Webhook-Id",
      "Idempotency-Key");
    /** The only id a signature covers among the schemes Hookcast verifies: Standard Webhooks signs it with the body. */
    public static final List<String> SIGNED_ID_HEADERS = List.of("webhook-id");

    /** {@code dedup.key}: a header the sender sets, or a digest of the body. */
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
