package io.hookcast.bus;

/**
 * Event-bus addresses. Every forwarder of a backend, on any node, consumes that backend's address; the ingress
 * sends each webhook to it with {@code request}, so exactly one of them delivers it.
 */
public final class Addresses {

  /** A new, validated configuration for this node (local only). */
  public static final String CONFIG_CHANGED = "hookcast.config.changed";

  private static final String DELIVER_PREFIX = "hookcast.deliver.";

  private Addresses() {
  }

  public static String deliver(String backendName) {
    return DELIVER_PREFIX + backendName;
  }
}
