package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.RetryAfter;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.hookcast.work.BodyWork;
import io.hookcast.deadline.Deadlines;
import io.hookcast.deadline.Deadlines.Deadline;
import io.hookcast.sign.SignatureHeaders;
import io.hookcast.sign.WebhookSigner;
import io.hookcast.telemetry.Tracing;
import io.opentelemetry.api.trace.Span;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One HTTP exchange with a backend, ended by a deadline. Vert.x's request timeout is an idle timeout, so a
 * backend trickling bytes could hold a webhook forever; a deadline bounds the whole exchange instead.
 * The returned future always succeeds.
 */
final class BackendCall {

  private static final int SLICE_BYTES = 256 * 1024;

  private final Deadlines deadlines;
  private final HttpClient client;
  private final String nodeName;
  private final BackendConfig backend;
  private final OperatorLog log;
  private final String basePath;
  /** {@code null} when deliveries to this backend are not signed. */
  private final WebhookSigner signer;
  private final BodyWork signing;
  private final String timedOut;
  private final Tracing tracing;

  /** @param signing where a delivery's signature is computed */
  BackendCall(Deadlines deadlines, HttpClient client, String nodeName, BackendConfig backend, OperatorLog log, Tracing tracing,
              BodyWork signing) {
    this.deadlines = deadlines;
    this.client = client;
    this.nodeName = nodeName;
    this.backend = backend;
    this.log = log;
    this.basePath = backend.basePath();
    this.signer = backend.sign() == null ? null : new WebhookSigner(backend.sign());
    this.signing = signing;
    this.timedOut = "no complete answer within " + backend.timeoutMs() + " ms";
    this.tracing = tracing;
  }

  /** @param deadline {@link System#nanoTime()} by which the answer must be complete */
  Future<DeliveryResult> attempt(Webhook webhook, int number, long deadline) {
    long start = System.nanoTime();
    Promise<DeliveryResult> outcome = Promise.promise();
    Span span = tracing.delivery(webhook.traceParent(), backend.name(), webhook.method(), number, webhook.requestId());
    if (span.isRecording()) {
      outcome.future().onSuccess(result -> Tracing.endDelivery(span, result));
    }
    Exchange exchange = new Exchange();
    // Set before the signature is computed, so that it also bounds the wait for a large body's.
    Deadline timeout = deadlines.at(deadline, () -> {
      if (outcome.tryComplete(exchange.signing ? notSigned(start) : timedOut(start))) {
        exchange.abandon();
      }
    });
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.valueOf(webhook.method()))
      .setURI(basePath + webhook.uri());
    Future<HttpClientRequest> requested = signer == null ? request(options, headers(webhook, span, null), deadline)
      : exchange.sign(() -> signing.run(webhook.body(), deadline, () -> signer.sign(webhook.requestId(), Instant.now(), webhook.body())))
      .compose(signature -> {
        if (outcome.future().isComplete()) {
          // The deadline fell while the body was being signed: the sender has been told, and the backend is not called.
          return Future.failedFuture(new VertxException(timedOut, true));
        }
        return request(options, headers(webhook, span, signature), deadline);
      });
    requested
      .onFailure(failure -> exchange.notSent = true)
      .compose(request -> {
        exchange.request = request;
        // An answer is shown as text, and a primary's passed on cut to the limit: a compressed one would be garbled
        // in the one and broken in the other, and a request without the header takes any coding (RFC 9110 section
        // 12.5.3).
        request.putHeader(HttpHeaders.ACCEPT_ENCODING, HttpHeaders.IDENTITY);
        if (outcome.future().isComplete()) {
          exchange.abandon();
        }
        return exchange.send(webhook.body());
      })
      .compose(exchange::read)
      .onComplete(ar -> {
        timeout.cancel();
        if (ar.succeeded()) {
          exchange.answeredEarly();
          HttpClientResponse response = ar.result();
          MultiMap received = response.headers();
          Outcome answered = OutcomeClassifier.answered(response.statusCode(),
            RetryAfter.parseMs(response.getHeader(HttpHeaders.RETRY_AFTER)),
            OutcomeClassifier.ABORT.equalsIgnoreCase(response.getHeader(OutcomeClassifier.DELIVERY_HEADER)));
          outcome.tryComplete(DeliveryResult.answered(answered, () -> ResponseHeaders.endToEnd(received),
            exchange.body, exchange.truncated, elapsedMs(start), nodeName));
        } else if (System.nanoTime() - deadline >= 0) {
          outcome.tryComplete(timedOut(start));
        } else if (!outcome.future().isComplete()) {
          Failure failure = Failure.of(ar.cause());
          log.failure("webhook " + webhook.requestId() + ": backend '" + backend.name() + "' (" + backend.origin() + ") on node "
            + nodeName + ", attempt " + number + ": " + failure.category() + " (" + ar.cause() + ")");
          outcome.tryComplete(DeliveryResult.unanswered(OutcomeClassifier.unreachable(failure, !exchange.notSent),
            elapsedMs(start), nodeName));
        }
      });
    return outcome.future();
  }

  /**
   * The deadline fell while the body waited for its signature: the backend was not contacted, so neither its
   * circuit nor the attempt count hold it against it, as for any refusal before sending.
   */
  private DeliveryResult notSigned(long startNanos) {
    return DeliveryResult.unanswered(new Outcome.Refused(Outcome.TIMED_OUT, "not signed within " + backend.timeoutMs()
      + " ms: this node's signing workers are busy; the backend was not contacted"), elapsedMs(startNanos), nodeName);
  }

  private DeliveryResult timedOut(long startNanos) {
    return DeliveryResult.unanswered(new Outcome.TimedOut(timedOut), elapsedMs(startNanos), nodeName);
  }

  /**
   * Waiting for a pooled connection ends at the deadline too, so that no waiter outlives its webhook; whichever of the
   * two fires first, the sender is told the backend did not answer in time. Rounded up, like the deadline's own timer:
   * neither ends the wait for a connection before the deadline.
   */
  private Future<HttpClientRequest> request(RequestOptions options, MultiMap headers, long deadline) {
    return client.request(options.setHeaders(headers).setConnectTimeout(Deadlines.delayMs(deadline)));
  }

  /**
   * The webhook's headers, with this attempt's {@code signature} when the backend wants signed deliveries (a large
   * body's computed off the event loop, {@link BodyWork}), and with this request's trace context when the webhook is
   * traced, in place of the sender's. The webhook's own headers are shared by every backend and never modified, so
   * such an attempt gets a copy. The signature's id is the message id on async routes (the scheduler's webhooks carry
   * it as their request id) and the request id on sync routes.
   */
  private static MultiMap headers(Webhook webhook, Span span, SignatureHeaders signature) {
    // Valid also when not sampled: the backend is then told so, and samples alike.
    boolean traced = span.getSpanContext().isValid();
    if (signature == null && !traced) {
      return webhook.headers();
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(webhook.headers());
    if (signature != null) {
      signature.applyTo(headers);
    }
    if (traced) {
      Tracing.inject(span, headers);
    }
    return headers;
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** The state of one request/response, kept so that a deadline can abandon it. */
  private final class Exchange {
    HttpClientRequest request;
    boolean notSent;
    /** While the body's signature is being computed. */
    boolean signing;
    /** What is kept of the answer: its first chunk as it came until a second one arrives. */
    Buffer body = DeliveryResult.NO_BODY;
    boolean truncated;
    /** Whether {@code body} is this exchange's own buffer, which later chunks are appended to. */
    private boolean joined;
    /** Whether the whole body has been handed to the connection. */
    private boolean ended;

    <T> Future<T> sign(Supplier<Future<T>> signature) {
      signing = true;
      return signature.get().andThen(signed -> signing = false);
    }

    Future<HttpClientResponse> read(HttpClientResponse response) {
      int limit = backend.maxResponseBodyBytes();
      // Keep at most maxResponseBodyBytes of the answer but read it all, so the connection can be reused.
      response.handler(chunk -> {
        int room = limit - body.length();
        if (chunk.length() <= room) {
          keep(chunk);
        } else {
          if (room > 0) {
            keep(chunk.slice(0, room));
          }
          truncated = true;
        }
      });
      return response.end().map(response);
    }

    /**
     * Vert.x hands each chunk over in a buffer that nothing else holds or reuses: an answer of one chunk, most of
     * them, is kept as it came, and only a longer one is copied into a buffer of its own.
     */
    private void keep(Buffer chunk) {
      if (chunk.length() == 0) {
        return;
      }
      if (body.length() == 0) {
        body = chunk;
      } else if (joined) {
        body.appendBuffer(chunk);
      } else {
        body = Buffer.buffer(body.length() + chunk.length()).appendBuffer(body).appendBuffer(chunk);
        joined = true;
      }
    }

    void abandon() {
      if (request != null) {
        request.reset();
      }
    }

    /**
     * Netty copies a heap buffer into a direct one of its full size when it is written; a large body is written
     * in slices, as fast as the connection takes them, so direct memory holds a few slices, not whole bodies.
     */
    Future<HttpClientResponse> send(Buffer body) {
      if (body.length() <= SLICE_BYTES) {
        ended = true;
        return request.send(body);
      }
      request.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
      writeSlices(body, 0);
      return request.response();
    }

    private void writeSlices(Buffer body, int from) {
      int position = from;
      while (position < body.length()) {
        int end = Math.min(body.length(), position + SLICE_BYTES);
        request.write(body.slice(position, end));
        position = end;
        if (request.writeQueueFull() && position < body.length()) {
          int next = position;
          request.drainHandler(v -> writeSlices(body, next));
          return;
        }
      }
      ended = true;
      request.end();
    }

    /**
     * After an answer that came before the whole body was written (a 413 or 401 at the head): the connection is
     * closed. A backend that then reads no more would keep it busy for good, the body never ending, and with it a
     * slot of maxConnections; and an HTTP/1.1 connection with half a request on it can carry no other.
     */
    void answeredEarly() {
      if (!ended) {
        request.connection().close();
      }
    }
  }
}
