package io.hookcast.ingress;

import io.vertx.core.http.HttpServerRequest;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id that names a webhook at every backend and in the log: the sender's own {@code X-Request-Id} when it is a
 * plausible one, else a random version-4 UUID.
 * <p>
 * Not {@link UUID#randomUUID()}: it draws from one SecureRandom behind a lock that every event loop would
 * contend for. A request id needs to be unique, not unguessable, so a thread-local generator serves.
 */
final class RequestIds {

  static final String HEADER = "X-Request-Id";
  private static final int MAX_LENGTH = 200;

  private RequestIds() {
  }

  static String of(HttpServerRequest request) {
    String given = request.getHeader(HEADER);
    return given != null && plausible(given) ? given : random().toString();
  }

  static UUID random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (random.nextLong() & ~0xF000L) | 0x4000L;
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  /** Visible ASCII only: the id is written into log lines, where a control character could forge another line. */
  private static boolean plausible(String id) {
    if (id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
