package io.hookcast.http;

import io.hookcast.config.HookcastConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/** The one URL webhook senders call: every method, every path. */
public final class IngressVerticle extends VerticleBase {

  private final HookcastConfig config;
  private HttpServer server;

  public IngressVerticle(HookcastConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    WebhookHandler webhooks = new WebhookHandler(new FanOut(vertx.eventBus(), config.backends()), config.http());
    Router router = Router.router(vertx);
    router.route().handler(webhooks);
    server = vertx.createHttpServer(new HttpServerOptions()
      .setHost(config.http().host())
      .setPort(config.http().port()));
    return server.requestHandler(router).listen();
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }
}
