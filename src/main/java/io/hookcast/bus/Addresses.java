package io.hookcast.bus;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.Secret;
import io.hookcast.crypto.Sha256;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Event-bus addresses. Every forwarder of a backend, on any node, consumes that backend's address; a hand-off sent
 * there reaches exactly one of them. Each fan-out and each async scheduler has a reply inbox of its own, where
 * forwarders send their outcomes.
 */
public final class Addresses {

  /** A new, validated configuration for this node (local only). */
  public static final String CONFIG_CHANGED = "hookcast.config.changed";

  private static final String DELIVER_PREFIX = "hookcast.deliver.";
  private static final String INBOX_PREFIX = "hookcast.inbox.";

  private Addresses() {
  }

  /**
   * {@code hookcast.deliver.v<wire version>.<name>.<generation>}, where the backend's forwarders take hand-offs: the
   * generation is a hash of every resolved setting of the backend, so that a changed backend (a new URL, say) is a new
   * address. An ingress that switches to the new address can then never reach a forwarder of the old settings, and
   * the old forwarders can finish what they hold without anything being taken from them; nodes with the same settings
   * compute the same address. The wire version likewise keeps nodes that cannot read each other's frames apart: in a
   * rolling upgrade, a hand-off to a node of the other version is refused unread and can only time out (504, after
   * the backend's timeout, for a webhook it never received); on its own address, each version delivers among its
   * own nodes, and one with none left answers 503 at once.
   */
  public static String forwarders(BackendConfig backend) {
    return DELIVER_PREFIX + "v" + Wire.VERSION + "." + backend.name() + "." + generation(backend);
  }

  /**
   * {@code hookcast.inbox.<id>}: the reply inbox of one ingress verticle or scheduler, reachable from every node.
   *
   * @param id unique in the cluster (a random UUID)
   */
  public static String inbox(String id) {
    return INBOX_PREFIX + id;
  }

  /** Whether {@code address} is a reply inbox: a forwarder sends results nowhere else. */
  static boolean isInbox(String address) {
    return address.startsWith(INBOX_PREFIX) && address.length() > INBOX_PREFIX.length();
  }

  /**
   * Eight hex digits of SHA-256 over the backend's record text, which lists every setting by name, and its signing
   * secrets' values, which the text leaves out: a secret rotated in its file is a changed backend too.
   */
  public static String generation(BackendConfig backend) {
    MessageDigest sha256 = sha256(backend);
    if (backend.sign() != null) {
      for (Secret secret : backend.sign().secrets()) {
        sha256.update((byte) 0);
        sha256.update(String.valueOf(secret.value()).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(sha256.digest(), 0, 4);
  }

  /**
   * As {@link #generation}, without the secrets: what a log line may show of a backend's settings. A hash over a
   * secret in a log would let anyone holding the log check guesses of a weak one.
   */
  public static String settings(BackendConfig backend) {
    return HexFormat.of().formatHex(sha256(backend).digest(), 0, 4);
  }

  private static MessageDigest sha256(BackendConfig backend) {
    MessageDigest sha256 = Sha256.digest();
    sha256.update(backend.toString().getBytes(StandardCharsets.UTF_8));
    return sha256;
  }
}
