package io.hookcast.crypto;

import io.vertx.core.buffer.Buffer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** HMAC-SHA256, the primitive of every webhook signature scheme Hookcast speaks. */
public final class Hmac {

  private static final String ALGORITHM = "HmacSHA256";
  public static final int LENGTH = 32;

  private Hmac() {
  }

  public static SecretKeySpec key(byte[] secret) {
    return new SecretKeySpec(secret, ALGORITHM);
  }

  /** The HMAC of {@code prefix} then {@code body}, as one message; the body is read in place, not copied. */
  public static byte[] sha256(SecretKeySpec key, byte[] prefix, Buffer body) {
    Mac mac;
    try {
      // A Mac holds state, so each call gets its own; creating one costs far less than hashing a webhook body.
      mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
    mac.update(prefix);
    BufferBytes.feed(body, mac::update);
    return mac.doFinal();
  }

  /**
   * Whether a presented digest is the expected one, in time that does not depend on where they differ.
   * The length is checked first because it is public (every HMAC-SHA256 is 32 bytes), so that
   * {@link MessageDigest#isEqual} only ever compares equal lengths.
   */
  public static boolean matches(byte[] expected, byte[] presented) {
    return presented.length == expected.length && MessageDigest.isEqual(expected, presented);
  }
}
