package io.hookcast.ingress;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a request must satisfy before anything of it is read or forwarded; each check throws the {@link Refusal}
 * to answer with.
 */
final class RequestChecks {

  private static final String CONTINUE = "100-continue";
  /** What the ingress's HTTP/1 decoder takes (it keeps Vert.x's default). */
  private static final int MAX_REQUEST_LINE_BYTES = HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;

  private final int maxHeaderBytes;
  private final int maxHeaderCount;

  RequestChecks(int maxHeaderBytes, int maxHeaderCount) {
    this.maxHeaderBytes = maxHeaderBytes;
    this.maxHeaderCount = maxHeaderCount;
  }

  /** Returns the request target to forward (see {@link RequestTarget}). */
  String check(HttpServerRequest request) {
    checkRequestLine(request);
    String target = RequestTarget.normalise(request.uri());
    checkFraming(request.headers());
    checkExpectation(request.headers());
    checkHeaders(request);
    return target;
  }

  static Refusal framingConflict() {
    return new Refusal(400, "the request has both Transfer-Encoding and Content-Length; its length is ambiguous");
  }

  /**
   * Netty's decoder refuses {@code Content-Length} beside {@code Transfer-Encoding}, and a final coding other than
   * {@code chunked}, before a request gets here ({@link InvalidRequests}); a pairing it might let through is refused
   * here too. A transfer coding besides plain {@code chunked} ({@code gzip, chunked}) is refused as NGINX does
   * (501): Hookcast cannot decode it and could not tell where the body ends.
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

  /**
   * Hookcast meets {@code 100-continue} ({@link BoundedBody}) and no other expectation; refusing one at once (417,
   * RFC 9110 section 10.1.1) rather than ignoring it spares a sender that waits for it its timeout, and ends a
   * webhook that would only be delivered without what its sender asked for. The header is a list, whose empty
   * elements (an empty header, a trailing comma) ask for nothing.
   */
  private static void checkExpectation(MultiMap headers) {
    // Most webhooks carry none: no list and no stream for them.
    if (headers.contains(HttpHeaders.EXPECT) && expectations(headers).anyMatch(expectation -> !expectation.equalsIgnoreCase(CONTINUE))) {
      throw new Refusal(417, "the only expectation Hookcast meets is Expect: 100-continue");
    }
  }

  /** Whether the sender waits for {@code 100 Continue} before it sends the body. */
  static boolean expectsContinue(MultiMap headers) {
    return headers.contains(HttpHeaders.EXPECT) && expectations(headers).anyMatch(CONTINUE::equalsIgnoreCase);
  }

  private static Stream<String> expectations(MultiMap headers) {
    return headers.getAll(HttpHeaders.EXPECT).stream().flatMap(value -> Arrays.stream(value.split(",")))
      .map(String::trim).filter(expectation -> !expectation.isEmpty());
  }

  /**
   * On HTTP/2, the request line's length as HTTP/1 would carry it ({@code POST /path?query HTTP/1.1}): Netty refuses an
   * HTTP/1 line over the limit before Hookcast sees it, but an HTTP/2 path is bounded only by the head's size, so a
   * webhook would otherwise be taken or refused by which protocol its sender speaks, and one taken far past the limit
   * would be refused by backends that hold to HTTP/1's usual one.
   */
  private static void checkRequestLine(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2
      && request.method().name().length() + request.uri().length() + " HTTP/1.1".length() + 1 > MAX_REQUEST_LINE_BYTES) {
      throw InvalidRequests.requestLineTooLong();
    }
  }

  /**
   * The count and, on HTTP/2, the size. Netty measures an HTTP/1 head against {@code http.maxHeaderBytes} but an
   * HTTP/2 one only against a looser bound ({@link IngressVerticle#http2HeaderListSize}), so an HTTP/2 head is measured
   * here as its HTTP/1 lines {@code name: value} would be: a header block is taken or refused whichever protocol the
   * sender speaks.
   * <p>
   * On HTTP/1, the host (RFC 9112 section 3.2, which asks for 400): an HTTP/1.1 request names it, a request names it at most once, and as a host and port. Two, or one a backend could read as a path, would reach it
   * in {@code X-Forwarded-Host}, where some build links from it. HTTP/2 carries it in {@code :authority} instead, which
   * Vert.x parses into the authority that is forwarded.
   */
  private void checkHeaders(HttpServerRequest request) {
    int count = 0;
    long bytes = 0;
    String host = null;
    boolean http1 = request.version() != HttpVersion.HTTP_2;
    for (Map.Entry<String, String> header : request.headers()) {
      if (++count > maxHeaderCount) {
        throw new Refusal(431, "the request has more than " + maxHeaderCount + " header fields (http.maxHeaderCount)");
      }
      bytes += header.getKey().length() + 2 + header.getValue().length();
      if (!http1 && bytes > maxHeaderBytes) {
        throw InvalidRequests.headersTooLarge(maxHeaderBytes);
      }
      if (http1 && header.getKey().equalsIgnoreCase("host")) {
        if (host != null) {
          throw new Refusal(400, "the request has more than one Host header");
        }
        host = header.getValue();
      }
    }
    if (http1 && (host == null ? request.version() == HttpVersion.HTTP_1_1 : !isHost(host))) {
      throw new Refusal(400, host == null ? "an HTTP/1.1 request must have a Host header" : "the Host header is not a host");
    }
  }

  /**
   * A host and optional port as RFC 3986 writes them (a name, an address, [an IPv6 address]), or nothing; but no
   * percent-encoded name ({@code a%41b}): no DNS name needs one, and Vert.x 5.0.7's {@code HostAndPort} parser, which
   * {@code request.authority()} runs on this header later, throws on one.
   */
  private static boolean isHost(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:[]".indexOf(c) >= 0;
      if (!allowed) {
        return false;
      }
    }
    return true;
  }
}
