package io.hookcast.admin.api;

import io.hookcast.config.HookcastConfig;
import io.hookcast.forward.ForwarderRegistry;
import io.hookcast.recent.RecentSync;
import io.hookcast.schedule.BackendRates;
import io.hookcast.store.DeliveryOperations;
import io.hookcast.store.DeliveryStore;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The operator API under {@code /api} on the admin listener: stored messages of async routes (list, read, retry,
 * cancel, bulk retry), recent sync webhooks, backend health and deliveries per minute, and the OpenAPI document
 * that describes exactly these routes. Every call needs the bearer token when one is configured.
 *
 * <p>Built from that document: vertx-openapi's {@link RouterBuilder} mounts a route per operation, each with its
 * handler by operationId, and a node does not start when an operation has no handler or a handler no operation.
 * Each operation's parameters and body are checked against their schemas in the document by {@link Arguments}, which
 * answers a 400 naming the parameter: the router's own request validation is off because its 400 carries the
 * library's text and, in 5.0.7, names the parameter only inside that text. Its security is off as well: for an
 * {@code http bearer} scheme it takes only a JWT handler, while the token here is one static secret, and
 * {@link BearerAuth} guards all of {@code /api/*}, so that an unknown path is a 401 before it is a 404.
 */
public final class OperatorApi {

  /** The OpenAPI document on the class path. */
  public static final String DOCUMENT = "openapi/hookcast-api.json";
  private static final int MAX_FILTER_BYTES = 16 * 1024;
  /** How often a store's failure is logged while every call fails with it. */
  private static final long FAILURE_REPEAT_MS = 60_000;

  private final Vertx vertx;
  private final Supplier<HookcastConfig> config;
  private final DeliveryStore store;
  private final DeliveryOperations operations;
  private final RecentSync recent;
  private final ForwarderRegistry forwarders;
  private final BackendRates rates;
  private final Buffer document;
  private final OpenAPIContract contract;
  private final FailureLog failures = new FailureLog(FAILURE_REPEAT_MS);

  private OperatorApi(Vertx vertx, Supplier<HookcastConfig> config, DeliveryStore store, DeliveryOperations operations,
                      RecentSync recent, ForwarderRegistry forwarders, BackendRates rates, Buffer document,
                      OpenAPIContract contract) {
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.operations = operations;
    this.recent = recent;
    this.forwarders = forwarders;
    this.rates = rates;
    this.document = document;
    this.contract = contract;
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
    return vertx.fileSystem().readFile(DOCUMENT).compose(document -> OpenAPIContract.from(vertx, document.toJsonObject())
      .map(contract -> new OperatorApi(vertx, config, store, operations, recent, forwarders, rates, document, contract)));
  }

  /**
   * Adds the API's routes to {@code router}, behind the token.
   *
   * @throws IllegalStateException when the document and the handlers do not match
   */
  public void mount(Router router) {
    MessagesApi messages = new MessagesApi(operations, config);
    NodeApi node = new NodeApi(config, store, operations, recent, forwarders, rates);
    Map<String, Handler<RoutingContext>> handlers = new HashMap<>(Map.of(
      "listMessages", messages::list,
      "getMessage", messages::get,
      "retryMessage", messages::retry,
      "cancelMessage", messages::cancel,
      "retryDeliveries", messages::retryAll,
      "recentSync", node::sync,
      "backends", node::backends,
      "activity", node::activity,
      "openapi", context -> context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(document)));
    router.route("/api/*").handler(new BearerAuth(config.get().admin().token()));
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation operation = route.getOperation();
      Handler<RoutingContext> handler = handlers.remove(operation.getOperationId());
      if (handler == null) {
        throw new IllegalStateException(DOCUMENT + ": operation " + operation.getOperationId() + " has no handler");
      }
      route.setDoSecurity(false).setDoValidation(false).addFailureHandler(this::failed);
      if (operation.getRequestBody() != null) {
        route.addHandler(Arguments.sentAs(operation)).addHandler(BodyHandler.create(false).setBodyLimit(MAX_FILTER_BYTES));
      }
      route.addHandler(Arguments.checking(operation, contract.getSchemaRepository())).addHandler(handler);
    }
    if (!handlers.isEmpty()) {
      throw new IllegalStateException(DOCUMENT + ": no operation for handler(s) " + new TreeSet<>(handlers.keySet()));
    }
    // The document's paths are absolute (/api/...); what matches none of them goes on to the admin listener's routes.
    router.route("/*").subRouter(builder.createRouter());
  }

  /**
   * The API's own errors as JSON, with why the store failed in the log ({@link FailureLog}, written off the event
   * loop); anything else (a bug) goes on to Vert.x, which logs it and answers 500.
   */
  private void failed(RoutingContext context) {
    if (context.failure() instanceof ApiError error) {
      if (error.getCause() != null) {
        failures.answered(context.request().method() + " " + context.request().path(), error.status(), error.getCause());
      }
      Replies.json(context, error.status(), ApiJson.error(error.getMessage()));
    } else if (context.statusCode() == 413) {
      Replies.json(context, 413, ApiJson.error("body: larger than " + MAX_FILTER_BYTES + " bytes"));
    } else {
      context.next();
    }
  }
}
