package io.hookcast.ingress;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests that could not be decoded: a request line over the limit (414), a header block over
 * {@code http.maxHeaderBytes} (431), conflicting framing ({@link FramingDecoder}) or anything else malformed
 * (400). Vert.x's default answers these with an empty body; these get the JSON error and {@code Connection: close}.
 * <p>
 * Vert.x itself closes the connection as soon as the answer to an undecodable request is written (Netty discards
 * whatever follows such a request). A sender still writing a header flood larger than the socket buffers then
 * sees a reset after the answer has arrived; answers to ordinary oversized heads end with a clean close.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  private final Refusals refusals;
  private final int maxHeaderBytes;

  InvalidRequests(Refusals refusals, int maxHeaderBytes) {
    this.refusals = refusals;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long start = System.nanoTime();
    refusals.refuse(request, RequestIds.random().toString(), refusal(request.decoderResult().cause()), start);
  }

  private Refusal refusal(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return new Refusal(431, "the request headers are larger than " + maxHeaderBytes + " bytes (http.maxHeaderBytes)");
    }
    if (cause instanceof TooLongHttpLineException) {
      return new Refusal(414, "the request line is too long");
    }
    if (cause instanceof FramingDecoder.Conflict) {
      return RequestChecks.framingConflict();
    }
    return new Refusal(400, "the request is not valid HTTP/1.1");
  }
}
