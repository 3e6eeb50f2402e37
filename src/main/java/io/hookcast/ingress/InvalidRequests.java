package io.hookcast.ingress;

import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests that could not be decoded: a request line over the limit (414), a header block over
 * {@code http.maxHeaderBytes} (431), a length that is ambiguous (400: {@code Content-Length} beside
 * {@code Transfer-Encoding: chunked}, or {@code Transfer-Encoding} on HTTP/1.0, which Netty refuses as RFC 9112
 * section 6 asks; IngressVerticle makes sure Netty is not told otherwise) or anything else malformed (400).
 * Vert.x's default answers these with an empty body; these get the JSON error and {@code Connection: close}.
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

  static Refusal requestLineTooLong() {
    return new Refusal(414, "the request line is too long");
  }

  static Refusal headersTooLarge(int maxHeaderBytes) {
    return new Refusal(431, "the request headers are larger than " + maxHeaderBytes + " bytes (http.maxHeaderBytes)");
  }

  private Refusal refusal(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return headersTooLarge(maxHeaderBytes);
    }
    if (cause instanceof TooLongHttpLineException) {
      return requestLineTooLong();
    }
    if (cause instanceof ContentLengthNotAllowedException) {
      return RequestChecks.framingConflict();
    }
    if (cause instanceof TransferEncodingNotAllowedException) {
      return new Refusal(400, "the request has Transfer-Encoding, which only HTTP/1.1 defines; its length is ambiguous");
    }
    return new Refusal(400, "the request is not valid HTTP/1.1");
  }
}
