package io.hookcast.ingress;

import io.hookcast.http.QueryValues;
import io.hookcast.metrics.HookcastMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.json.JsonObject;

/**
 * Answers a refused request (status and a short JSON error), logs it, and on HTTP/1 closes the connection after a
 * lingering moment ({@code Connection: close}): nothing else is read from that connection as a request. On HTTP/2
 * only the refused stream ends.
 */
final class Refusals {

  /** How long the rest of a refused request is read and discarded before the connection is closed regardless. */
  private static final long LINGER_MS = 1_000;
  private final Vertx vertx;
  private final ClosingConnections closing;
  private final AccessLog log;
  private final HookcastMetrics metrics;
  private final boolean fullQuery;

  Refusals(Vertx vertx, ClosingConnections closing, AccessLog log, HookcastMetrics metrics, boolean fullQuery) {
    this.vertx = vertx;
    this.closing = closing;
    this.log = log;
    this.metrics = metrics;
    this.fullQuery = fullQuery;
  }

  void refuse(HttpServerRequest request, String requestId, Refusal refusal, long startNanos) {
    boolean http2 = request.version() == HttpVersion.HTTP_2;
    if (!http2) {
      closing.add(request.connection());
    }
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (refusal.status == 503) {
      response.putHeader(HttpHeaders.RETRY_AFTER, "1");
    } else if (refusal.allow != null) {
      response.putHeader(HttpHeaders.ALLOW, refusal.allow);
    }
    if (!http2) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    Answers.write(response, requestId, refusal.status, new JsonObject().put("error", refusal.getMessage()).toBuffer())
      .onComplete(v -> {
        if (http2) {
          endStream(request);
        } else {
          lingerThenClose(request);
        }
      });
    metrics.webhookAnswered(refusal.status, startNanos);
    log.refused(refusal.status, "webhook " + requestId + " " + request.method() + " " + Answers.printable(QueryValues.shown(request.uri(), fullQuery))
      + " refused with " + refusal.status + ": " + refusal.getMessage() + " (" + Answers.elapsedMs(startNanos) + " ms)");
  }

  /**
   * A body whose connection failed under it: the sender closed it or reset the stream, or the body's framing is
   * malformed (an invalid chunk), on which Vert.x closes the connection itself. Nothing can be answered, and the log
   * says so rather than claim an answer.
   */
  void unreadable(HttpServerRequest request, String requestId, Throwable cause, long startNanos) {
    String why = cause instanceof HttpClosedException ? "the sender closed the connection"
      : cause instanceof StreamResetException ? "the sender reset the stream" : "its framing is malformed";
    if (request.version() == HttpVersion.HTTP_2) {
      request.response().reset();
    } else {
      request.connection().close();
    }
    log.refused(400, "webhook " + requestId + " " + request.method() + " " + Answers.printable(QueryValues.shown(request.uri(), fullQuery))
      + ": the request body could not be read (" + why + "); the connection is closed without an answer ("
      + Answers.elapsedMs(startNanos) + " ms)");
  }

  /**
   * HTTP/2 frames every request itself and forbids {@code Connection}: only the refused stream ends, the connection's
   * other webhooks go on. One whose body is still coming is reset with NO_ERROR once answered, which asks the
   * sender to stop sending it and keep the answer (RFC 9113 section 8.1).
   */
  private static void endStream(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.response().reset(0);
    }
  }

  /**
   * Closes after discarding what the sender still sends, for a moment: closing with unread bytes makes the
   * kernel reset the connection, which can destroy the answer before the sender has read it.
   */
  private void lingerThenClose(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    if (request.isEnded()) {
      connection.close();
      return;
    }
    long timer = vertx.setTimer(LINGER_MS, id -> connection.close());
    request.handler(discarded -> { });
    request.exceptionHandler(failure -> vertx.cancelTimer(timer));
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      connection.close();
    });
    request.resume();
  }
}
