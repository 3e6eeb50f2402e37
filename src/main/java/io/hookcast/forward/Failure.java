package io.hookcast.forward;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.DecoderException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * What went wrong with an exchange, in the short words the sender is told. Classified by exception type only:
 * exception messages name addresses and internals, and their wording is no contract.
 */
enum Failure {
  CONNECTION_REFUSED("connection refused"),
  CONNECT_TIMEOUT("connect timeout"),
  NO_ROUTE("no route to backend"),
  UNKNOWN_HOST("unknown host"),
  TLS("TLS failure"),
  CONNECTION_RESET("connection reset"),
  CONNECTION_CLOSED("connection closed before a complete answer"),
  INVALID_RESPONSE("invalid response"),
  OVERLOADED("overloaded"),
  OTHER("delivery failed");

  private final String category;

  Failure(String category) {
    this.category = category;
  }

  String category() {
    return category;
  }

  static Failure of(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      Failure known = classify(cause);
      if (known != null) {
        return known;
      }
    }
    return OTHER;
  }

  private static Failure classify(Throwable cause) {
    // Netty's connect timeout is a ConnectException too: the more specific type first.
    if (cause instanceof ConnectTimeoutException) {
      return CONNECT_TIMEOUT;
    }
    if (cause instanceof ConnectException) {
      return CONNECTION_REFUSED;
    }
    if (cause instanceof NoRouteToHostException) {
      return NO_ROUTE;
    }
    if (cause instanceof UnknownHostException) {
      return UNKNOWN_HOST;
    }
    if (cause instanceof SSLException) {
      return TLS;
    }
    if (cause instanceof ConnectionPoolTooBusyException) {
      return OVERLOADED;
    }
    if (cause instanceof DecoderException || cause instanceof IllegalArgumentException) {
      return INVALID_RESPONSE;
    }
    if (cause instanceof Errors.NativeIoException nativeIo) {
      return nativeIo.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE ? CONNECTION_RESET : CONNECTION_CLOSED;
    }
    if (cause instanceof SocketException || cause instanceof StreamResetException) {
      return CONNECTION_RESET;
    }
    if (cause instanceof HttpClosedException) {
      return CONNECTION_CLOSED;
    }
    return null;
  }
}
