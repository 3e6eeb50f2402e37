package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeUnit;

/**
 * One HTTP exchange with a backend under a total deadline. Vert.x's request timeout is an idle timeout, so a
 * backend trickling bytes could hold a webhook forever; a timer bounds the whole exchange instead.
 * The returned future always succeeds: failures become results with a 502 or 504 status.
 */
final class BackendCall {

  private final Vertx vertx;
  private final HttpClient client;
  private final String nodeName;
  private final BackendConfig backend;
  private final String basePath;
  private final int maxResponseBodyBytes;

  BackendCall(Vertx vertx, HttpClient client, String nodeName, BackendConfig backend, int maxResponseBodyBytes) {
    this.vertx = vertx;
    this.client = client;
    this.nodeName = nodeName;
    this.backend = backend;
    this.basePath = backend.basePath();
    this.maxResponseBodyBytes = maxResponseBodyBytes;
  }

  Future<DeliveryResult> deliver(Webhook webhook) {
    long start = System.nanoTime();
    Promise<DeliveryResult> outcome = Promise.promise();
    Exchange exchange = new Exchange();
    long timer = vertx.setTimer(backend.timeoutMs(), id -> {
      if (outcome.tryComplete(DeliveryResult.failed(DeliveryResult.TIMED_OUT,
        "no complete answer from " + backend.url() + " within " + backend.timeoutMs() + " ms", elapsedMs(start), nodeName))) {
        exchange.abandon();
      }
    });
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.valueOf(webhook.method()))
      .setURI(basePath + webhook.uri())
      .setHeaders(webhook.headers());
    client.request(options)
      .compose(request -> {
        exchange.request = request;
        if (outcome.future().isComplete()) {
          exchange.abandon();
        }
        return request.send(webhook.body());
      })
      .compose(response -> exchange.read(response))
      .onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          Buffer body = exchange.body;
          outcome.tryComplete(DeliveryResult.answered(ar.result().statusCode(), body.toString(), exchange.truncated, elapsedMs(start), nodeName));
        } else {
          outcome.tryComplete(DeliveryResult.failed(DeliveryResult.UNREACHABLE,
            "cannot deliver to " + backend.url() + ": " + describe(ar.cause()), elapsedMs(start), nodeName));
        }
      });
    return outcome.future();
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }

  /** The state of one request/response, kept so that a deadline can abandon it. */
  private final class Exchange {
    HttpClientRequest request;
    Buffer body = Buffer.buffer();
    boolean truncated;

    Future<HttpClientResponse> read(HttpClientResponse response) {
      // Keep at most maxResponseBodyBytes of the answer but read it all, so the connection can be reused.
      response.handler(chunk -> {
        int room = maxResponseBodyBytes - body.length();
        if (chunk.length() <= room) {
          body.appendBuffer(chunk);
        } else {
          if (room > 0) {
            body.appendBuffer(chunk, 0, room);
          }
          truncated = true;
        }
      });
      return response.end().map(response);
    }

    void abandon() {
      if (request != null) {
        request.reset();
      }
    }
  }
}
