package io.hookcast.http;

import io.hookcast.config.HookcastConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The one URL webhook senders call: every method, every path. */
public final class IngressVerticle extends VerticleBase {

  private static final String REGISTRY = "hookcast.ingress.servers";
  /** Beyond the longest backend deadline: the event-bus reply grace and the writing of the answer. */
  private static final long DRAIN_MARGIN_MS = 1_000;

  private volatile HookcastConfig config;
  private WebhookHandler webhooks;
  private HttpServer server;

  public IngressVerticle(HookcastConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    webhooks = new WebhookHandler(vertx, new FanOut(vertx.eventBus(), config.backends()), config.http(),
      IngressLimits.of(vertx, config.http()));
    Router router = Router.router(vertx);
    router.route().handler(webhooks);
    ConnectionGuard guard = new ConnectionGuard(vertx, config.http().requestTimeoutMs());
    webhooks.onAnswered(request -> guard.awaitHeaders(request.connection()));
    // No h2c: webhook senders speak HTTP/1.1, and sniffing for an HTTP/2 preface defers the connection (and so
    // the ConnectionGuard) until a request head is complete, which a slowloris client never sends.
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(config.http().host())
        .setPort(config.http().port())
        .setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) config.http().idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
      .connectionHandler(guard::opened)
      .requestHandler(request -> {
        guard.headersArrived(request.connection());
        router.handle(request);
      });
    return server.listen().onSuccess(s -> registry(vertx).put(deploymentID(), new Drainable(this)));
  }

  @Override
  public Future<?> stop() {
    registry(vertx).remove(deploymentID());
    return drain();
  }

  /**
   * Delivers to the backends of {@code updated} from the next webhook sent on. Completes once the switch has
   * happened on this verticle's event loop: every webhook sent to the old list is then already on the event
   * bus, ahead of anything that retires a forwarder.
   */
  public Future<Void> update(HookcastConfig updated) {
    Promise<Void> switched = Promise.promise();
    context.runOnContext(v -> {
      config = updated;
      webhooks.update(new FanOut(vertx.eventBus(), updated.backends()));
      switched.complete();
    });
    return switched.future();
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * Makes every ingress of this node refuse new webhooks (503) and waits until those already received are
   * answered, for at most the longest backend deadline; then closes the listeners. What SIGTERM does first.
   */
  public static Future<Void> drainAll(Vertx vertx) {
    List<Future<Void>> drains = new ArrayList<>();
    for (Drainable ingress : registry(vertx).values()) {
      drains.add(ingress.verticle.drain());
    }
    return Future.join(drains).mapEmpty();
  }

  /** Answers what is in progress (bounded by the longest backend deadline), refusing new webhooks meanwhile, then closes. */
  private Future<Void> drain() {
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> webhooks.drain()
      .timeout(config.longestDeliveryMs() + DRAIN_MARGIN_MS, TimeUnit.MILLISECONDS)
      .eventually(server::close)
      .onComplete(drained));
    return drained.future();
  }

  private static LocalMap<String, Drainable> registry(Vertx vertx) {
    return vertx.sharedData().getLocalMap(REGISTRY);
  }

  private record Drainable(IngressVerticle verticle) implements Shareable {
  }
}
