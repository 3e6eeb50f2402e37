package io.hookcast.route.body;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a route's values from webhook bodies ({@link BodyScanner}): a small body on the calling event loop, a larger
 * one on a worker, since even a streaming pass over tens of megabytes takes tens of milliseconds, which every other
 * webhook of that event loop would wait. The result comes back on the caller's context.
 */
public final class BodyReader {

  /** Read in well under a millisecond; most webhooks are far smaller. */
  static final int INLINE_BYTES = 256 * 1024;

  private final Vertx vertx;
  private final BodyScanner scanner;

  public BodyReader(Vertx vertx, BodyScanner scanner) {
    this.vertx = vertx;
    this.scanner = scanner;
  }

  public Future<BodyValues> read(Buffer body) {
    if (body.length() <= INLINE_BYTES) {
      return Future.succeededFuture(scanner.scan(body));
    }
    // Unordered: one webhook's read need not wait for another's.
    return vertx.executeBlocking(() -> scanner.scan(body), false);
  }
}
