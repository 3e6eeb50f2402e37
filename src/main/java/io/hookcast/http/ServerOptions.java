package io.hookcast.http;

import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.TimeUnit;

/** What both of a node's listeners, the ingress and the admin one, are, whoever can reach them. */
public final class ServerOptions {

  private ServerOptions() {
  }

  /**
   * A connection silent for {@code idleTimeoutMs} is closed, so that one that stops halfway through a request holds
   * no file descriptor for long. No h2c: sniffing for an HTTP/2 preface defers the connection until a request head is
   * complete, which a slow client never sends. No WebSocket compression: its handshake handler sits in every
   * connection's pipeline and fails a connection with more than 128 pipelined requests, unanswered, for a WebSocket
   * neither listener has.
   */
  public static HttpServerOptions of(String host, int port, long idleTimeoutMs) {
    return new HttpServerOptions()
      .setHost(host)
      .setPort(port)
      .setHttp2ClearTextEnabled(false)
      .setPerMessageWebSocketCompressionSupported(false)
      .setPerFrameWebSocketCompressionSupported(false)
      .setIdleTimeout((int) idleTimeoutMs)
      .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
  }
}
