package io.hookcast.crypto;

import io.vertx.core.buffer.Buffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests: of a webhook body (a dedup key), an order key too long to store, a backend's settings. */
public final class Sha256 {

  private Sha256() {
  }

  /** A digest to feed; each call gets its own, since one holds state. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The body's digest, the body read in place ({@link BufferBytes}). */
  public static byte[] of(Buffer body) {
    MessageDigest digest = digest();
    BufferBytes.feed(body, digest::update);
    return digest.digest();
  }
}
