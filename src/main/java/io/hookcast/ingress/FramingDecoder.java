package io.hookcast.ingress;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Vert.x's request decoder, except that a request with both {@code Transfer-Encoding: chunked} and
 * {@code Content-Length} fails to decode instead of being quietly reframed.
 * <p>
 * Why a decoder: Netty's {@code HttpObjectDecoder} handles that conflict (on HTTP/1.1) by removing the
 * {@code Content-Length} header and reading the body as chunked, before Vert.x sees the headers. Hookcast would
 * then never know, and would keep the connection open for what follows, although RFC 9112 section 6.3 says such a
 * request must be answered and the connection closed: the sender and any proxy in front may disagree on where the
 * request ends, which is how a second request is smuggled. The failed decoding reaches Vert.x's invalid-request
 * handler ({@link InvalidRequests}), which answers 400 and closes.
 * <p>
 * This reaches into Vert.x internals (the pipeline and its decoder type, under the handler name
 * {@code httpDecoder}); {@code RequestFramingTest} fails if a Vert.x upgrade changes them. Should the decoder not
 * be found, the connection is closed: serving without the check would be silently unsafe.
 */
final class FramingDecoder extends VertxHttpRequestDecoder {

  private static final String NAME = "httpDecoder";

  /** The decoding failure that marks a request with both framings. */
  static final class Conflict extends RuntimeException {
    Conflict() {
      super("both Transfer-Encoding and Content-Length", null, false, false);
    }
  }

  private FramingDecoder(HttpServerOptions options) {
    super(options);
  }

  /**
   * Replaces the connection's decoder; must run in the connection handler, before the first byte is decoded
   * (the handler runs when the channel becomes active, on the connection's event loop, without h2c sniffing).
   */
  static boolean install(HttpConnection connection, HttpServerOptions options) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    ChannelPipeline pipeline = base.channelHandlerContext().pipeline();
    SslHandler ssl = pipeline.get(SslHandler.class);
    if (ssl != null && ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
      // HTTP/2 frames each message itself and forbids Transfer-Encoding: there is no pair of framings to disagree on.
      return true;
    }
    if (!(pipeline.get(NAME) instanceof VertxHttpRequestDecoder)) {
      return false;
    }
    pipeline.replace(NAME, NAME, new FramingDecoder(options));
    return true;
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    super.handleTransferEncodingChunkedWithContentLength(message);
    message.setDecoderResult(DecoderResult.failure(new Conflict()));
  }
}
