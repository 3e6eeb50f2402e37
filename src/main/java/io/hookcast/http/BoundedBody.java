package io.hookcast.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body up to a limit, byte for byte.
 * <p>
 * Not vertx-web's BodyHandler: it decodes form-encoded and multipart bodies (Slack and curl send
 * {@code application/x-www-form-urlencoded}), which costs CPU, is bounded by form-attribute limits far below
 * webhook sizes, and is nothing a router that forwards bytes untouched should do.
 */
final class BoundedBody {

  /** The body is larger than the limit; {@code declared} says whether Content-Length said so before reading. */
  static final class TooLargeException extends RuntimeException {
    final boolean declared;

    TooLargeException(long limit, boolean declared) {
      super("request body is larger than the limit of " + limit + " bytes (http.maxBodyBytes)", null, false, false);
      this.declared = declared;
    }
  }

  private BoundedBody() {
  }

  static Future<Buffer> read(HttpServerRequest request, long limit) {
    long declaredLength = declaredLength(request);
    if (declaredLength > limit) {
      return Future.failedFuture(new TooLargeException(limit, true));
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 1024);
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        request.handler(null);
        request.pause();
        promise.tryFail(new TooLargeException(limit, false));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  private static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
