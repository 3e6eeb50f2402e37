package io.hookcast.bus;

import io.hookcast.config.BackendConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

  /**
   * {@code hookcast.deliver.<name>.<generation>}: the generation is a hash of every resolved setting of the
   * backend, so that a changed backend (a new URL, say) is a new address. An ingress that switches to the new
   * address can then never reach a forwarder of the old settings, and the old forwarders can finish what they hold
   * without anything being taken from them; nodes with the same settings compute the same address.
   */
  public static String deliver(BackendConfig backend) {
    return DELIVER_PREFIX + backend.name() + "." + generation(backend);
  }

  /** Eight hex digits of SHA-256 over the backend's record text, which lists every setting by name. */
  public static String generation(BackendConfig backend) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(backend.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
