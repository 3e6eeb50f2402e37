package io.hookcast.crypto;

import io.vertx.core.buffer.Buffer;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Standard Webhooks symmetric scheme (standardwebhooks.com): {@code v1,} + base64 of the HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the base64-decoded part of a {@code whsec_} secret. Shared by the verifier
 * of incoming webhooks and the signer of deliveries, so that both agree by construction.
 */
public final class StandardWebhooks {

  public static final String SECRET_PREFIX = "whsec_";
  public static final String VERSION = "v1";

  private StandardWebhooks() {
  }

  /**
   * The HMAC key of a {@code whsec_} secret. As in the reference libraries, the prefix may be left out.
   *
   * @throws IllegalArgumentException if the rest is not base64 or is empty; the message never contains the secret
   */
  public static SecretKeySpec key(String secret) {
    String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a Standard Webhooks secret (whsec_ followed by base64)");
    }
    if (key.length == 0) {
      throw new IllegalArgumentException("is not a Standard Webhooks secret (nothing after whsec_)");
    }
    return Hmac.key(key);
  }

  /** The raw HMAC of one message; {@link #signature} is its header form. */
  public static byte[] mac(SecretKeySpec key, String id, String timestamp, Buffer body) {
    return Hmac.sha256(key, (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
  }

  /** One entry of {@code webhook-signature}: {@code v1,<base64>}. */
  public static String signature(SecretKeySpec key, String id, String timestamp, Buffer body) {
    return VERSION + "," + Base64.getEncoder().encodeToString(mac(key, id, timestamp, body));
  }
}
