package io.hookcast.ingress;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * What a request must satisfy before anything of it is read or forwarded; each check throws the {@link Refusal}
 * to answer with.
 */
final class RequestChecks {

  private final int maxHeaderCount;

  RequestChecks(int maxHeaderCount) {
    this.maxHeaderCount = maxHeaderCount;
  }

  /** Returns the request target to forward (see {@link RequestTarget}). */
  String check(HttpServerRequest request) {
    String target = RequestTarget.normalise(request.uri());
    checkFraming(request.headers());
    checkHeaderCount(request.headers());
    return target;
  }

  static Refusal framingConflict() {
    return new Refusal(400, "the request has both Transfer-Encoding and Content-Length; its length is ambiguous");
  }

  /**
   * The conflict Netty lets through: on HTTP/1.0, or with a transfer coding other than chunked, it keeps
   * {@code Content-Length}. A transfer coding other than plain {@code chunked} is refused as NGINX does (501):
   * Hookcast cannot decode it and could not tell where the body ends.
   */
  private static void checkFraming(MultiMap headers) {
    String transferEncoding = headers.get(HttpHeaders.TRANSFER_ENCODING);
    if (transferEncoding == null) {
      return;
    }
    if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
      throw framingConflict();
    }
    if (headers.getAll(HttpHeaders.TRANSFER_ENCODING).size() > 1 || !"chunked".equalsIgnoreCase(transferEncoding.trim())) {
      throw new Refusal(501, "only the chunked transfer coding is accepted");
    }
  }

  private void checkHeaderCount(MultiMap headers) {
    int count = 0;
    for (var ignored : headers) {
      if (++count > maxHeaderCount) {
        throw new Refusal(431, "the request has more than " + maxHeaderCount + " header fields (http.maxHeaderCount)");
      }
    }
  }
}
