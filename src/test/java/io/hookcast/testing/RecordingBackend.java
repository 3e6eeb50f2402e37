package io.hookcast.testing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A real HTTP backend on 127.0.0.1 and an ephemeral port that records every request it receives. */
public final class RecordingBackend {

  public record Received(String method, String uri, MultiMap headers, Buffer body) {
  }

  @FunctionalInterface
  public interface Responder {
    void respond(HttpServerRequest request, Buffer body);
  }

  private final Queue<Received> received = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  private RecordingBackend(HttpServer server) {
    this.server = server;
  }

  public static Future<RecordingBackend> start(Vertx vertx, Responder responder) {
    return start(vertx, 0, responder);
  }

  /** On a given port, e.g. to bring a stopped backend back where Hookcast expects it. */
  public static Future<RecordingBackend> start(Vertx vertx, int port, Responder responder) {
    return start(vertx, new HttpServerOptions().setPort(port), responder);
  }

  /** With the server's own options, e.g. to take headers beyond Vert.x's default limit; always on 127.0.0.1. */
  public static Future<RecordingBackend> start(Vertx vertx, HttpServerOptions options, Responder responder) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions(options).setHost("127.0.0.1"));
    RecordingBackend backend = new RecordingBackend(server);
    server.requestHandler(request -> request.body().onSuccess(body -> {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
      backend.received.add(new Received(request.method().name(), request.uri(), headers, body));
      responder.respond(request, body);
    }));
    return server.listen().map(backend);
  }

  public static Future<RecordingBackend> answering(Vertx vertx, int status, String body) {
    return start(vertx, (request, ignored) -> request.response().setStatusCode(status).end(body));
  }

  public static Future<RecordingBackend> answeringAfter(Vertx vertx, long delayMs, int status, String body) {
    return start(vertx, (request, ignored) -> vertx.setTimer(delayMs, id -> request.response().setStatusCode(status).end(body)));
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/";
  }

  public int port() {
    return server.actualPort();
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public Future<Void> stop() {
    return server.close();
  }
}
