package io.hookcast.store;

import io.hookcast.crypto.Sha256;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * A webhook accepted on an asynchronous route, as it must be stored before the sender is answered 202.
 *
 * @param route       the matched route's path
 * @param method      HTTP method
 * @param uri         path and query as they are appended to each backend's base path
 * @param headers     the headers every backend receives
 * @param body        the body, byte for byte
 * @param backends    one delivery is recorded for each
 * @param senderId    the sender's own delivery id (dedup key), or {@code null}
 * @param dedupSince  a message of the same route and sender id accepted at or after this instant is a duplicate;
 *                    ignored when {@code senderId} is null
 * @param receivedAt  when the ingress received it
 * @param orderKey    the route's order key of this webhook ({@code routes[].order}), or {@code null}: its deliveries
 *                    are made one at a time per backend and key, in the order of acceptance; a U+0000 in it is kept as
 *                    U+FFFD ({@link StoredText}), and one longer than {@link #MAX_KEY_CHARS} characters or
 *                    {@link #MAX_KEY_BYTES} bytes of UTF-8 as its digest, which orders the same
 * @param traceParent the W3C {@code traceparent} its attempts are children of, or {@code null} when it is not traced
 */
public record NewMessage(String route, String method, String uri, MultiMap headers, Buffer body, List<String> backends,
                         String senderId, Instant dedupSince, Instant receivedAt, String orderKey, String traceParent) {

  /** The column's size. */
  static final int MAX_KEY_CHARS = 1_024;
  /**
   * A PostgreSQL index entry holds at most 2704 bytes, and a key is indexed with its backend and message id: a longer
   * one failed the whole batch it was accepted in, every webhook of it answered 503.
   */
  static final int MAX_KEY_BYTES = 2_048;

  public NewMessage {
    orderKey = storedKey(StoredText.of(orderKey));
  }

  private static String storedKey(String key) {
    // Three bytes of UTF-8 at most per char: most keys are measured without being encoded.
    if (key == null || key.length() * 3 <= MAX_KEY_BYTES
      || key.length() <= MAX_KEY_CHARS && key.getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES) {
      return key;
    }
    return "sha256:" + HexFormat.of().formatHex(Sha256.digest().digest(key.getBytes(StandardCharsets.UTF_8)));
  }
}
