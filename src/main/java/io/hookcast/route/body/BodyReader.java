package io.hookcast.route.body;

import io.hookcast.work.BodyWork;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a route's values from webhook bodies ({@link BodyScanner}): even a streaming pass over tens of megabytes
 * takes tens of milliseconds, which every other webhook of an event loop would wait, so a large body is read where
 * {@link BodyWork} does such work.
 */
public final class BodyReader {

  private final BodyWork work;
  private final BodyScanner scanner;

  public BodyReader(BodyWork work, BodyScanner scanner) {
    this.work = work;
    this.scanner = scanner;
  }

  public Future<BodyValues> read(Buffer body) {
    return work.run(body, () -> scanner.scan(body));
  }
}
