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
 * The budget is taken as the buffer grows, never reserved from the declared {@code Content-Length}: a sender that
 * declares 25 MiB and trickles holds what it sent, not what it promised, so a few such senders cannot lock
 * everyone else out. It counts the buffer's capacity, not the bytes in it, and both buffers while one is copied
 * into a larger one: that is the memory a body takes while it is read. A declared length above the size limit is
 * still refused (413) before anything is read.
 * <p>
 * Not vertx-web's BodyHandler: it decodes form-encoded and multipart bodies (Slack and curl send
 * {@code application/x-www-form-urlencoded}), which costs CPU, is bounded by form-attribute limits far below
 * webhook sizes, and is nothing a router that forwards bytes untouched should do.
 * <p>
 * The buffer is grown here, not by Netty: Netty doubles it, so a body just past a power of two would be held, for
 * every delivery of it, in nearly twice its size. Growth stops at the declared length, and a body of unknown length
 * that ends with a quarter of its buffer unused is copied into one of its size.
 */
final class BoundedBody {

  /**
   * First buffer capacity at most this, allocated with the first bytes: a declared length is a claim, not memory to
   * set aside. Two of Netty's 8 KiB reads.
   */
  private static final int MAX_INITIAL_CAPACITY = 16 * 1024;
  /** Until a body of unknown length is larger: most webhooks are a few KiB. */
  private static final int UNKNOWN_LENGTH_CAPACITY = 1024;

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
    Growing body = new Growing(declaredLength, limit.bytes());
    Deadline deadline = deadlines.after(timeoutMs, () -> stop(request, promise,
      new Refusal(408, "the request body did not arrive within " + timeoutMs + " ms (http.requestTimeoutMs)")));
    request.handler(chunk -> {
      long needed = (long) body.length() + chunk.length();
      if (needed > limit.bytes()) {
        stop(request, promise, tooLarge(limit));
        return;
      }
      // The body's other copies (frames to other nodes' forwarders) are of its length, not its buffer's capacity.
      long copies = (long) chunk.length() * (limit.copies() - 1);
      int capacity = body.capacityFor((int) needed);
      int outgrown = body.capacity();
      long more = capacity == outgrown ? copies : capacity + copies;
      if (more > 0 && !lease.reserve(more)) {
        stop(request, promise, busy());
        return;
      }
      if (capacity != outgrown) {
        body.grow(capacity);
        lease.release(outgrown);
      }
      body.append(chunk);
    });
    request.exceptionHandler(promise::tryFail);
    request.endHandler(v -> {
      // After a refusal the lease is being given back whole: no fit to take more of it.
      if (!promise.future().isComplete()) {
        promise.complete(fitted(body, lease));
      }
    });
    return promise.future().andThen(ar -> deadline.cancel());
  }

  /**
   * A body of unknown length that ended with a quarter of its buffer unused is copied into one of its size, if the
   * budget has room for the copy while both exist; else it keeps the buffer it has.
   */
  private static Buffer fitted(Growing body, IngressLimits.Lease lease) {
    int capacity = body.capacity();
    if (capacity - body.length() <= capacity / 4 || capacity <= MAX_INITIAL_CAPACITY || !lease.reserve(body.length())) {
      return body.bytes();
    }
    body.fit();
    lease.release(capacity);
    return body.bytes();
  }

  /** A buffer and its capacity, which Vert.x's {@link Buffer} does not tell. */
  private static final class Growing {
    private final long declaredLength;
    private final long maxLength;
    /**
     * {@code null} until the first bytes come: a webhook without a body allocates none. The request's handlers hold
     * this object until the webhook is answered, so a buffer outgrown or fitted is dropped from here, not kept.
     */
    private Buffer bytes;
    private int capacity;

    /** @param maxLength the size limit, which is below the largest array */
    Growing(long declaredLength, long maxLength) {
      this.declaredLength = declaredLength;
      this.maxLength = maxLength;
    }

    int length() {
      return bytes == null ? 0 : bytes.length();
    }

    int capacity() {
      return capacity;
    }

    Buffer bytes() {
      return bytes == null ? Buffer.buffer(0) : bytes;
    }

    /**
     * The capacity that holds {@code needed} bytes (at most the size limit): this one, or twice it, but never past the
     * declared length, nor the size limit.
     */
    int capacityFor(int needed) {
      if (needed <= capacity) {
        return capacity;
      }
      long first = capacity > 0 ? 0 : Math.min(declaredLength >= 0 ? declaredLength : UNKNOWN_LENGTH_CAPACITY, MAX_INITIAL_CAPACITY);
      long grown = Math.max(Math.max(needed, 2L * capacity), first);
      return (int) Math.min(grown, declaredLength >= needed ? declaredLength : maxLength);
    }

    /** Copies the bytes into a buffer of their size, which from now on holds them alone. */
    void fit() {
      bytes = bytes.copy();
      capacity = bytes.length();
    }

    void grow(int newCapacity) {
      Buffer grown = Buffer.buffer(newCapacity);
      bytes = bytes == null ? grown : grown.appendBuffer(bytes);
      capacity = newCapacity;
    }

    void append(Buffer chunk) {
      bytes.appendBuffer(chunk);
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
