package io.hookcast.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body byte for byte, within a size limit, the node's byte budget and a deadline.
 * <p>
 * Not vertx-web's BodyHandler: it decodes form-encoded and multipart bodies (Slack and curl send
 * {@code application/x-www-form-urlencoded}), which costs CPU, is bounded by form-attribute limits far below
 * webhook sizes, and is nothing a router that forwards bytes untouched should do.
 */
final class BoundedBody {

  /** Why a body was not read; {@code status} is the answer. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private BoundedBody() {
  }

  static Future<Buffer> read(Vertx vertx, HttpServerRequest request, long limit, IngressLimits.Lease lease, long timeoutMs) {
    long declaredLength = declaredLength(request);
    if (declaredLength > limit) {
      return Future.failedFuture(tooLarge(limit));
    }
    if (declaredLength > 0 && !lease.reserve(declaredLength)) {
      return Future.failedFuture(busy());
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer(declaredLength > 0 ? (int) declaredLength : 1024);
    long timer = vertx.setTimer(timeoutMs, id -> stop(request, promise,
      new Refused(408, "the request body did not arrive within " + timeoutMs + " ms (http.requestTimeoutMs)")));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        stop(request, promise, tooLarge(limit));
      } else if (declaredLength <= 0 && !lease.reserve(chunk.length())) {
        stop(request, promise, busy());
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  private static void stop(HttpServerRequest request, Promise<Buffer> promise, Refused why) {
    request.handler(null);
    request.pause();
    promise.tryFail(why);
  }

  private static Refused tooLarge(long limit) {
    return new Refused(413, "request body is larger than the limit of " + limit + " bytes (http.maxBodyBytes)");
  }

  private static Refused busy() {
    return new Refused(503, "too many webhook bytes in progress on this node (http.maxBufferedBytes); retry later");
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
