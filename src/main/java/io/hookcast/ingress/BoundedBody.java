package io.hookcast.ingress;

import io.hookcast.deadline.Deadlines;
import io.hookcast.deadline.Deadlines.Deadline;
import io.hookcast.route.BodyLimit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads a request body byte for byte, within a size limit, the node's byte budget and a deadline.
 * <p>
 * The budget is taken as bytes arrive, never reserved from the declared {@code Content-Length}: a sender that
 * declares 25 MiB and trickles holds what it sent, not what it promised, so a few such senders cannot lock
 * everyone else out. A declared length above the size limit is still refused (413) before anything is read.
 * <p>
 * Not vertx-web's BodyHandler: it decodes form-encoded and multipart bodies (Slack and curl send
 * {@code application/x-www-form-urlencoded}), which costs CPU, is bounded by form-attribute limits far below
 * webhook sizes, and is nothing a router that forwards bytes untouched should do.
 * <p>
 * The buffer is grown here, not by Netty: Netty doubles it, so a body just past a power of two would be held, for
 * every delivery of it, in nearly twice the memory the budget counts. Growth stops at the declared length, and a body
 * of unknown length that ends with a quarter of its buffer unused is copied into one of its size.
 */
final class BoundedBody {

  /** First buffer capacity at most this: a declared length is a claim, not memory to set aside. */
  private static final int MAX_INITIAL_CAPACITY = 64 * 1024;

  private BoundedBody() {
  }

  static Future<Buffer> read(Deadlines deadlines, HttpServerRequest request, BodyLimit limit, IngressLimits.Lease lease,
                             long timeoutMs) {
    long declaredLength = declaredLength(request);
    if (declaredLength > limit.bytes()) {
      return Future.failedFuture(tooLarge(limit));
    }
    // RequestChecks refused any other expectation. An HTTP/1.0 sender would take a 1xx for the answer (RFC 9110
    // section 15.2); it sends its body regardless.
    if (RequestChecks.expectsContinue(request.headers()) && request.version() != HttpVersion.HTTP_1_0) {
      request.response().writeContinue();
    }
    Promise<Buffer> promise = Promise.promise();
    Growing body = new Growing(declaredLength);
    Deadline deadline = deadlines.after(timeoutMs, () -> stop(request, promise,
      new Refusal(408, "the request body did not arrive within " + timeoutMs + " ms (http.requestTimeoutMs)")));
    request.handler(chunk -> {
      if ((long) body.length() + chunk.length() > limit.bytes()) {
        stop(request, promise, tooLarge(limit));
      } else if (!lease.reserve((long) chunk.length() * limit.copies())) {
        stop(request, promise, busy());
      } else {
        body.append(chunk);
      }
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> promise.tryComplete(body.fitted()));
    return promise.future().andThen(ar -> deadline.cancel());
  }

  /** A buffer and its capacity, which Vert.x's {@link Buffer} does not tell. */
  private static final class Growing {
    private final long declaredLength;
    private Buffer bytes;
    private int capacity;

    Growing(long declaredLength) {
      this.declaredLength = declaredLength;
      this.capacity = (int) Math.min(Math.max(declaredLength, 1024), MAX_INITIAL_CAPACITY);
      this.bytes = Buffer.buffer(capacity);
    }

    int length() {
      return bytes.length();
    }

    /** Only within the size limit, which is below the largest array: the sum cannot overflow. */
    void append(Buffer chunk) {
      int needed = bytes.length() + chunk.length();
      if (needed > capacity) {
        long doubled = Math.max(needed, 2L * capacity);
        capacity = (int) (declaredLength >= needed ? Math.min(doubled, declaredLength) : Math.min(doubled, Integer.MAX_VALUE - 8));
        bytes = Buffer.buffer(capacity).appendBuffer(bytes);
      }
      bytes.appendBuffer(chunk);
    }

    Buffer fitted() {
      return capacity - bytes.length() > capacity / 4 && capacity > MAX_INITIAL_CAPACITY ? bytes.copy() : bytes;
    }
  }

  private static void stop(HttpServerRequest request, Promise<Buffer> promise, Refusal why) {
    request.handler(null);
    request.pause();
    promise.tryFail(why);
  }

  private static Refusal tooLarge(BodyLimit limit) {
    return new Refusal(413, "request body is larger than the limit of " + limit.bytes() + " bytes (" + limit.setBy() + ")");
  }

  private static Refusal busy() {
    return new Refusal(503, "too many webhook bytes in progress on this node (http.maxBufferedBytes); retry later");
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
