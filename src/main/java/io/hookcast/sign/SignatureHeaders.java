package io.hookcast.sign;

import io.vertx.core.MultiMap;

import java.util.List;

/**
 * The three Standard Webhooks headers of one signed delivery.
 *
 * @param id        {@code webhook-id}
 * @param timestamp {@code webhook-timestamp}, Unix seconds
 * @param signature {@code webhook-signature}: one {@code v1,<base64>} per signing secret, space-separated
 */
public record SignatureHeaders(String id, String timestamp, String signature) {

  public static final String ID = "webhook-id";
  public static final String TIMESTAMP = "webhook-timestamp";
  public static final String SIGNATURE = "webhook-signature";

  /** Svix's names for the same three, which its libraries read before the Standard Webhooks ones. */
  private static final List<String> SVIX = List.of("svix-id", "svix-timestamp", "svix-signature");

  /**
   * Sets the three headers, replacing any the sender sent and removing Svix's: a webhook that arrived signed by a
   * Standard Webhooks or Svix sender carries them, and a backend must see Hookcast's signature, not one it cannot check.
   */
  public void applyTo(MultiMap headers) {
    SVIX.forEach(headers::remove);
    headers.set(ID, id).set(TIMESTAMP, timestamp).set(SIGNATURE, signature);
  }
}
