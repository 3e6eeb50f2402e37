package io.hookcast.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;

/**
 * A listener that cannot take its address (in use, a host name that does not resolve) fails the start with a line
 * that names it and the keys that set its address, not with the socket's bare "Address already in use".
 */
public final class Listening {

  private Listening() {
  }

  /**
   * @param listener as the failure names it, with its keys: {@code "the ingress (http.host, http.port)"}
   */
  public static Future<HttpServer> named(Future<HttpServer> listening, String listener, String host, int port) {
    return listening.recover(failure -> Future.failedFuture(new ListenException(listener + " could not listen on " + host + ":"
      + port + ": " + failure.getMessage(), failure)));
  }
}
