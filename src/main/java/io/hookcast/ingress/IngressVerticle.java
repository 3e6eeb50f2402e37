package io.hookcast.ingress;

import io.hookcast.config.ConfigException;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.HttpConfig;
import io.hookcast.work.BodyWork;
import io.hookcast.deadline.Deadlines;
import io.hookcast.http.Listening;
import io.hookcast.http.ServerOptions;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.recent.RecentSync;
import io.hookcast.route.Routing;
import io.hookcast.store.DeliveryStore;
import io.hookcast.telemetry.Tracing;
import io.hookcast.tls.ServerTls;
import io.netty.handler.codec.http.HttpObjectDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** The one URL webhook senders call: every method, every path. */
public final class IngressVerticle extends VerticleBase {

  /**
   * Beyond the longest a webhook waits for its answer (backend timeouts, the store on an async route): the event-bus
   * reply grace and the writing of the answer, before a drain gives up on the webhooks still in progress.
   */
  public static final long DRAIN_MARGIN_MS = 1_000;
  /** A log that cannot take the last lines in this time (a stalled console) does not hold up the shutdown. */
  private static final long LOG_STOP_TIMEOUT_MS = 2_000;

  /** Set once by {@link RunningIngresses#drainAll}, read by readiness on another thread. */
  private volatile boolean draining;

  private volatile HookcastConfig config;
  private final DeliveryStore store;
  private final HookcastMetrics metrics;
  private final RecentSync recent;
  private final IngressLimits limits;
  private final RunningIngresses running;
  private WebhookHandler webhooks;
  private ReplyInbox inbox;
  private final Tracing tracing;
  private Admission admission;
  private AccessLog log;
  private BodyWork hashing;
  private HttpServer server;
  /** The listener's open connections, on this verticle's event loop: a drain tells each to go. */
  private final Set<HttpConnection> connections = new HashSet<>();
  /** {@code null} when the listener is plain HTTP. */
  private ServerTls tls;

  /**
   * @param store   where async routes keep their messages; {@code null} when the node has no async route
   * @param recent  where sync routes record what they did, for the operator API
   * @param limits  the node's budget, shared with its other ingress instances
   * @param running where this ingress is found by SIGTERM's drain while it listens
   * @param tracing the node's traces
   */
  public IngressVerticle(HookcastConfig config, DeliveryStore store, HookcastMetrics metrics, RecentSync recent,
                         IngressLimits limits, RunningIngresses running, Tracing tracing) {
    this.config = config;
    this.store = store;
    this.metrics = metrics;
    this.recent = recent;
    this.limits = limits;
    this.running = running;
    this.tracing = tracing;
  }

  @Override
  public Future<?> start() {
    if (!HttpObjectDecoder.RFC9112_TRANSFER_ENCODING) {
      // Told otherwise, Netty drops the Content-Length of a chunked request instead of refusing it: a sender and a
      // proxy in front could then disagree on where the request ends, which is how one is smuggled.
      return Future.failedFuture(new ConfigException("-D" + HttpObjectDecoder.PROP_RFC9112_TRANSFER_ENCODING
        + "=false: the ingress needs Netty to refuse requests of ambiguous length; remove the setting"));
    }
    HttpConfig http = config.http();
    log = AccessLog.start("hookcast-access-log-" + deploymentID());
    admission = new Admission(limits);
    ClosingConnections closing = new ClosingConnections();
    Refusals refusals = new Refusals(vertx, closing, log, metrics, config.http().accessLog().fullQuery());
    // Body and header deadlines share one duration (http.requestTimeoutMs), so they fall due in the order they are set.
    Deadlines deadlines = new Deadlines(vertx);
    InvalidRequests invalidRequests = new InvalidRequests(refusals, http.maxHeaderBytes());
    ConnectionGuard guard = new ConnectionGuard(deadlines, http.requestTimeoutMs());
    HttpServerOptions options = ServerOptions.of(http.host(), http.port(), http.idleTimeoutMs())
      .setMaxHeaderSize(http.maxHeaderBytes());
    options.getInitialSettings().setMaxHeaderListSize(http2HeaderListSize(http, options.getMaxInitialLineLength()));
    inbox = new ReplyInbox(vertx);
    hashing = BodyWork.forIngress(vertx);
    webhooks = new WebhookHandler(deadlines, http, new Routing(config, vertx, inbox, store, metrics, recent, tracing, hashing), admission, refusals, log, metrics);
    Future<ServerTls> loaded = http.tls() == null ? Future.succeededFuture() : ServerTls.load(vertx, http.tls(), "http.tls");
    // No webhook before forwarders on other nodes can send results back.
    return inbox.registered().compose(v -> loaded).compose(serverTls -> {
      tls = serverTls;
      return listen(serverTls == null ? options : serverTls.applyTo(options), guard, closing, invalidRequests);
    });
  }

  /**
   * HTTP/2's limit on a request head, sized so that it takes every head HTTP/1 takes: Vert.x's default (8 KiB) would
   * make Netty refuse, with a bare 431 Hookcast never sees, a webhook HTTP/1 delivers. HPACK counts 32 bytes per field
   * beyond its name and value, and counts the request line too, as the pseudo-header fields :method, :scheme and :path.
   */
  static long http2HeaderListSize(HttpConfig http, int maxRequestLineBytes) {
    int pseudoHeaderFields = 3;
    return http.maxHeaderBytes() + maxRequestLineBytes + 32L * (http.maxHeaderCount() + pseudoHeaderFields);
  }

  private Future<HttpServer> listen(HttpServerOptions options, ConnectionGuard guard, ClosingConnections closing,
                                    InvalidRequests invalidRequests) {
    server = vertx.createHttpServer(options)
      .connectionHandler(connection -> {
        connection.closeHandler(v -> {
          connections.remove(connection);
          guard.closed(connection);
          closing.closed(connection);
        });
        connections.add(connection);
        guard.opened(connection);
      })
      .invalidRequestHandler(request -> {
        if (!closing.contains(request.connection())) {
          invalidRequests.handle(request);
        }
      })
      .requestHandler(request -> {
        HttpConnection connection = request.connection();
        guard.headersArrived(connection);
        request.response().endHandler(v -> guard.answered(connection));
        if (!closing.contains(request.connection())) {
          webhooks.handle(request);
        }
      });
    Future<HttpServer> listening = Listening.named(server.listen(), "the ingress (http.host, http.port)", options.getHost(),
      options.getPort());
    return listening.onSuccess(s -> {
      if (tls != null) {
        tls.watch(s);
      }
      running.add(this);
    });
  }

  @Override
  public Future<?> stop() {
    if (tls != null) {
      tls.stop();
    }
    running.remove(this);
    // The drain's own answers are among the last lines: the verticle is stopped once they are written. The hashing
    // pool is let go of after the drain, which waits for webhooks that may be waiting for it.
    return drain().eventually(() -> Future.fromCompletionStage(log.stop(), context)
      .timeout(LOG_STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS).otherwiseEmpty()).eventually(hashing::close);
  }

  /**
   * Delivers to the backends of {@code updated} from the next webhook sent on. Completes once the switch has
   * happened on this verticle's event loop, with a future that completes once every webhook handed to the old
   * backends has been dealt with: until then their quick retries may still go to the old forwarders.
   */
  public Future<Future<Void>> update(HookcastConfig updated) {
    Promise<Future<Void>> switched = Promise.promise();
    context.runOnContext(v -> {
      config = updated;
      switched.complete(webhooks.update(new Routing(updated, vertx, inbox, store, metrics, recent, tracing, hashing)));
    });
    return switched.future();
  }

  /** The bound port; differs from the configured one when that was 0. */
  public int actualPort() {
    return server.actualPort();
  }

  boolean draining() {
    return draining;
  }

  /** SIGTERM's {@link #startDrain}: readiness reports it from now on. */
  Future<Future<Void>> startShutdownDrain() {
    draining = true;
    return startDrain();
  }

  private Future<Void> drain() {
    return startDrain().compose(drained -> drained);
  }

  /**
   * Completes, on this verticle's event loop, once new webhooks are refused, with a future of the answers to those
   * in progress (bounded by {@link HookcastConfig#longestAnswerMs}) and the listener's close.
   */
  private Future<Future<Void>> startDrain() {
    Promise<Future<Void>> refusing = Promise.promise();
    context.runOnContext(v -> {
      long boundMs = config.longestAnswerMs() + BodyWork.MAX_WAIT_MS + DRAIN_MARGIN_MS;
      Future<Void> drained = admission.drain().timeout(boundMs, TimeUnit.MILLISECONDS).eventually(server::close);
      // Each connection ends once what it carries is answered: HTTP/2 with a GOAWAY, HTTP/1.1 by closing. Its sender's
      // next webhook then opens a connection, which a load balancer that reads /ready sends to another node, instead
      // of getting 503 after 503 on this one until the drain ends. Copied: a connection that ends leaves the set.
      List.copyOf(connections).forEach(connection -> connection.shutdown(boundMs, TimeUnit.MILLISECONDS));
      refusing.complete(drained);
    });
    return refusing.future();
  }
}
