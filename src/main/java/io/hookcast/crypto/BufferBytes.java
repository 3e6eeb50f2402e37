package io.hookcast.crypto;

import io.vertx.core.buffer.Buffer;

/**
 * Feeds a webhook body to a MAC or a digest a piece at a time. {@link Buffer#getBytes()} copies the whole body: a
 * 25 MiB webhook to eight signed backends would hold eight such copies at once, outside every limit on buffered bytes.
 */
public final class BufferBytes {

  private static final int PIECE = 16 * 1024;

  /** What takes the pieces: {@code Mac::update} or {@code MessageDigest::update}. */
  @FunctionalInterface
  public interface Sink {
    void update(byte[] bytes, int offset, int length);
  }

  private BufferBytes() {
  }

  public static void feed(Buffer body, Sink sink) {
    int length = body.length();
    byte[] piece = new byte[Math.min(length, PIECE)];
    for (int start = 0; start < length; start += piece.length) {
      int end = Math.min(length, start + piece.length);
      body.getBytes(start, end, piece, 0);
      sink.update(piece, 0, end - start);
    }
  }
}
