package io.hookcast.admin.api;

import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.recent.RecentSync;
import io.hookcast.schedule.BackendRates;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The operator API under {@code /api} on the admin listener: stored messages of async routes (list, read, retry,
 * cancel, bulk retry), recent sync webhooks, backend health and deliveries per minute, and the OpenAPI document
 * that describes exactly these routes. Every call needs the bearer token when one is configured.
 *
 * <p>Routes are plain vertx-web routes rather than vertx-openapi's router: that one validates requests against the
 * document and answers with the library's own error texts, where operators are promised a 400 that names the
 * parameter; a test keeps the document and the routes in step instead.
 */
public final class OperatorApi {

  /** The OpenAPI document on the class path. */
  public static final String DOCUMENT = "openapi/hookcast-api.json";
  private static final int MAX_FILTER_BYTES = 16 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);

  private final Supplier<HookcastConfig> config;
  private final DeliveryStore store;
  private final DeliveryOperations operations;
  private final RecentSync recent;
  private final ForwarderRegistry forwarders;
  private final BackendRates rates;
  private final Buffer document;

  private OperatorApi(Supplier<HookcastConfig> config, DeliveryStore store, DeliveryOperations operations, RecentSync recent,
                      ForwarderRegistry forwarders, BackendRates rates, Buffer document) {
    this.config = config;
    this.store = store;
    this.operations = operations;
    this.recent = recent;
    this.forwarders = forwarders;
    this.rates = rates;
    this.document = document;
  }

  /**
   * Reads the OpenAPI document (without blocking the event loop).
   *
   * @param store      the node's store, or {@code null} when it has none
   * @param operations the store's operator side, {@code null} likewise
   * @param recent     what the node's sync routes did lately
   * @param forwarders the node's forwarders and their circuits
   * @param rates      the current rates of the backends this node's scheduler delivers to with a rate
   */
  public static Future<OperatorApi> create(Vertx vertx, Supplier<HookcastConfig> config, DeliveryStore store,
                                           DeliveryOperations operations, RecentSync recent, ForwarderRegistry forwarders,
                                           BackendRates rates) {
    return vertx.fileSystem().readFile(DOCUMENT).map(document -> new OperatorApi(config, store, operations, recent,
      forwarders, rates, document));
  }

  /** Adds the API's routes to {@code router}, behind the token. */
  public void mount(Router router) {
    MessagesApi messages = new MessagesApi(operations, config);
    NodeApi node = new NodeApi(config, store, operations, recent, forwarders, rates);
    router.route("/api/*").handler(new BearerAuth(config.get().admin().token())).failureHandler(OperatorApi::failed);
    router.get("/api/messages").handler(messages::list);
    router.get("/api/messages/:id").handler(messages::get);
    router.post("/api/messages/:id/retry").handler(messages::retry);
    router.post("/api/messages/:id/cancel").handler(messages::cancel);
    router.post("/api/deliveries/retry").handler(BodyHandler.create(false).setBodyLimit(MAX_FILTER_BYTES)).handler(messages::retryAll);
    router.get("/api/sync").handler(node::sync);
    router.get("/api/backends").handler(node::backends);
    router.get("/api/activity").handler(node::activity);
    router.get("/api/openapi.json").handler(context -> context.response()
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(document));
  }

  /**
   * The API's own errors as JSON, with why the store failed in the log (written off the event loop); anything else
   * (a bug) goes on to Vert.x, which logs it and answers 500.
   */
  private static void failed(RoutingContext context) {
    if (context.failure() instanceof ApiError error) {
      if (error.getCause() != null) {
        LOG.warn("operator API: " + context.request().method() + " " + context.request().path() + " answered "
          + error.status() + ": " + error.getCause());
      }
      Replies.json(context, error.status(), ApiJson.error(error.getMessage()));
    } else if (context.statusCode() == 413) {
      Replies.json(context, 413, ApiJson.error("body: larger than " + MAX_FILTER_BYTES + " bytes"));
    } else {
      context.next();
    }
  }
}
