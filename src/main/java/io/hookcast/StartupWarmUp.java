package io.hookcast;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.Reply;
import io.hookcast.bus.Webhook;
import io.hookcast.config.HookcastConfig;
import io.hookcast.fanout.AggregatedAnswer;
import io.hookcast.forward.OutcomeClassifier;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Sends a few webhook-shaped exchanges through this JVM while the node deploys, so that the first real
 * webhook after start is not the one that pays for the first accepted HTTP connection, the first event-bus request
 * with Hookcast's codecs, the first HTTP client connection, the first answer aggregated to JSON, and the
 * interpreted code of all of them ({@code bench/first-request.sh} measures the first webhook after start against a
 * warm one; an AppCDS archive maps the classes but does not run their initialisation or compile anything).
 * <p>
 * Nothing leaves the process and nothing is counted: a throwaway HTTP server on 127.0.0.1 (port 0) stands in for a
 * backend, a local consumer on a throwaway address for a forwarder, and neither Hookcast's meters, the access log
 * nor the list of recent webhooks are touched. No configured backend is contacted, not even to open a connection: a
 * backend may be down or slow to accept, and start-up must not wait for it. Runs before the ingress listener
 * opens, so the open port still means the node is ready; bounded by {@link #BUDGET_MS}, and a failure only ends it.
 */
final class StartupWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);
  /**
   * The first round opens the connections and pays nearly all the first-time work; the next ones take a pooled
   * connection, as later webhooks do; more rounds would only delay the open port.
   */
  private static final int ROUNDS = 3;
  private static final long BUDGET_MS = 600;
  private static final List<String> BACKENDS = List.of("warm-up-a", "warm-up-b");
  private static final Buffer BODY = Buffer.buffer("{\"warm-up\":\"" + "x".repeat(1000) + "\"}");
  private static final String ANSWER = "{\"ok\":true}";
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final HookcastConfig config;
  private final String address = "hookcast.warm-up." + UUID.randomUUID();
  private HttpServer server;
  private HttpClient client;
  private MessageConsumer<Handoff> consumer;
  /** Set when the budget is spent: no further round starts. */
  private volatile boolean cut;

  private StartupWarmUp(Vertx vertx, HookcastConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Completes, never failed, once the exchanges are done or the budget is spent. The exchanges use Hookcast's codecs,
   * so the node's parts ({@link NodeParts#of}) must have been built. What it opened is closed once the
   * round in progress has ended (itself bounded), so that no request reaches the stand-in forwarder after it is gone.
   */
  static Future<Void> run(Vertx vertx, HookcastConfig config) {
    return new StartupWarmUp(vertx, config).run();
  }

  private Future<Void> run() {
    long start = System.nanoTime();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setHttp2ClearTextEnabled(false))
      .requestHandler(request -> request.body().onComplete(body -> request.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(ANSWER)));
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    consumer = vertx.eventBus().localConsumer(address, message -> {
      Handoff handoff = message.body();
      forward(handoff.webhook()).onComplete(delivered -> message.reply(new Reply(handoff.exchange(), handoff.slot(),
        delivered.succeeded() ? delivered.result()
          : DeliveryResult.unanswered(new Outcome.Unreachable(String.valueOf(delivered.cause()), false), 0, null))));
    });
    Future<Void> exchanges = consumer.completion()
      .compose(v -> server.listen())
      .compose(v -> rounds(ROUNDS));
    Future<Void> done = exchanges
      .timeout(BUDGET_MS, TimeUnit.MILLISECONDS)
      .onComplete(ar -> LOG.debug("start-up warm-up " + (ar.succeeded() ? "done" : "cut short (" + ar.cause() + ")") + " after "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms"))
      .otherwiseEmpty();
    done.onComplete(v -> {
      cut = true;
      exchanges.otherwiseEmpty().timeout(BUDGET_MS, TimeUnit.MILLISECONDS).otherwiseEmpty()
        .eventually(() -> Future.join(consumer.unregister(), client.close(), server.close()));
    });
    return done;
  }

  /** One webhook to two stand-in backends at once, answered with their aggregate, as a sync route does. */
  private Future<Void> rounds(int left) {
    if (left == 0 || cut) {
      return Future.succeededFuture();
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
      .add(HttpHeaders.CONTENT_TYPE, JSON)
      .add("X-Request-Id", "warm-up-" + left);
    Webhook webhook = new Webhook("warm-up-" + left, "POST", "/warm-up", headers, BODY);
    List<Future<DeliveryResult>> replies = new ArrayList<>(BACKENDS.size());
    for (int i = 0; i < BACKENDS.size(); i++) {
      Handoff handoff = new Handoff(webhook, address, left, i, 1, BUDGET_MS);
      replies.add(vertx.eventBus().<Reply>request(address, handoff).map(reply -> reply.body().result()));
    }
    return Future.all(replies)
      .map(all -> AggregatedAnswer.of(BACKENDS, all.list(), config.http().answerDetail()).body().toBuffer())
      .compose(answer -> rounds(left - 1));
  }

  private Future<DeliveryResult> forward(Webhook webhook) {
    long start = System.nanoTime();
    RequestOptions options = new RequestOptions()
      .setMethod(HttpMethod.valueOf(webhook.method()))
      .setHost("127.0.0.1")
      .setPort(server.actualPort())
      .setURI(webhook.uri())
      .setHeaders(webhook.headers());
    Future<HttpClientRequest> request;
    try {
      request = client.request(options);
    } catch (IllegalStateException closed) {
      // The node is stopping (an invalid configuration, a signal) while a round is on its way: nothing to warm.
      return Future.failedFuture(closed);
    }
    return request
      .compose(sent -> sent.send(webhook.body()))
      .compose(response -> response.body().map(body -> DeliveryResult.answered(OutcomeClassifier.answered(response.statusCode(), -1, false), List::of,
        body, false, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), config.nodeName())));
  }
}
