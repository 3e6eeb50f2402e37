package io.hookcast.admin;

import io.hookcast.admin.api.OperatorApi;
import io.hookcast.config.AdminConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.http.Listening;
import io.hookcast.http.ServerOptions;
import io.hookcast.ingress.RunningIngresses;
import io.hookcast.recent.RecentSync;
import io.hookcast.schedule.BackendRates;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStore;
import io.hookcast.tls.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.function.Supplier;

/**
 * The admin listener, on its own port so that no webhook path is ever shadowed: health, readiness and metrics
 * ({@link HealthRoutes}), the operator API ({@link OperatorApi}) and the dashboard ({@link Dashboard}).
 */
public final class AdminVerticle extends VerticleBase {

  private final Supplier<HookcastConfig> config;
  private final DeliveryStore store;
  private final DeliveryOperations operations;
  private final RecentSync recent;
  private final ForwarderRegistry forwarders;
  private final RunningIngresses ingresses;
  private final BackendRates rates;
  private HttpServer server;
  /** {@code null} when the listener is plain HTTP. */
  private ServerTls tls;

  /**
   * @param store      the node's delivery store, {@code null} when it has none
   * @param operations the store's operator side, {@code null} likewise
   * @param recent     what the node's sync routes did lately
   * @param forwarders the node's forwarders, for readiness and the operator API
   * @param ingresses  the node's ingress instances, whose draining readiness reports
   * @param rates      the node's backend rates, for the operator API
   */
  public AdminVerticle(Supplier<HookcastConfig> config, DeliveryStore store, DeliveryOperations operations, RecentSync recent,
                       ForwarderRegistry forwarders, RunningIngresses ingresses, BackendRates rates) {
    this.config = config;
    this.store = store;
    this.operations = operations;
    this.recent = recent;
    this.forwarders = forwarders;
    this.ingresses = ingresses;
    this.rates = rates;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new PercentEncoding());
    HealthRoutes.mount(router, vertx, config, store, forwarders, ingresses);
    router.errorHandler(404, context -> error(context, 404, "no such path: " + context.request().path()));
    router.errorHandler(405, context -> error(context, 405, context.request().method() + " is not allowed on " + context.request().path()));
    AdminConfig admin = config.get().admin();
    // The ingress's idle timeout: an operator's call is answered within store.timeoutMs, which it exceeds.
    HttpServerOptions options = ServerOptions.of(admin.host(), admin.port(), config.get().http().idleTimeoutMs());
    return OperatorApi.create(vertx, config, store, operations, recent, forwarders, rates)
      .compose(api -> {
        api.mount(router);
        Dashboard.mount(router);
        return admin.tls() == null ? Future.<ServerTls>succeededFuture() : ServerTls.load(vertx, admin.tls(), "admin.tls");
      })
      .compose(serverTls -> {
        tls = serverTls;
        server = vertx.createHttpServer(serverTls == null ? options : serverTls.applyTo(options)).requestHandler(router);
        return Listening.named(server.listen(), "the operator API (admin.host, admin.port)", admin.host(), admin.port());
      }).onSuccess(listening -> {
        if (tls != null) {
          tls.watch(listening);
        }
      });
  }

  @Override
  public Future<?> stop() {
    if (tls != null) {
      tls.stop();
    }
    return Future.succeededFuture();
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The admin listener's refusals outside the operator API: JSON, as the API's own. */
  static void error(RoutingContext context, int status, String message) {
    context.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("error", message).encode());
  }
}
