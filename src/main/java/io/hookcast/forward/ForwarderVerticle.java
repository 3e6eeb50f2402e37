package io.hookcast.forward;

import io.hookcast.alert.Alert;
import io.hookcast.alert.Alerts;
import io.hookcast.bus.Addresses;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.Reply;
import io.hookcast.bus.Webhook;
import io.hookcast.config.AlertConfig;
import io.hookcast.config.BackendConfig;
import io.hookcast.work.BodyWork;
import io.hookcast.deadline.Deadlines;
import io.hookcast.metrics.HookcastMetrics;
import io.hookcast.telemetry.Tracing;
import io.micrometer.core.instrument.Counter;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes the {@link Handoff}s sent to one backend's address, makes exactly one HTTP request for each and sends one
 * {@link Reply}, with its {@link Outcome}, to the hand-off's inbox: bounded by {@link DeliveryQueue}, guarded by a circuit breaker, the
 * exchange classified once ({@link OutcomeClassifier}). Retrying is the caller's: a sync route's fan-out within its
 * deadline, an async route's schedule. Several forwarders of the same backend (instances, cluster nodes) share its
 * hand-offs. Undeploying one lets it finish what it has.
 */
public final class ForwarderVerticle extends VerticleBase {

  private static final String CIRCUIT_OPEN = "circuit open";
  private static final long QUIET_MS = 250;
  /** The longest a stopping forwarder waits for its address to go quiet, when other nodes keep sending to it. */
  public static final long MAX_QUIET_WAIT_MS = 5_000;
  /** Failures older than this no longer count towards opening the circuit. */
  private static final long FAILURE_WINDOW_MS = TimeUnit.MINUTES.toMillis(5);

  private final String nodeName;
  private final BackendConfig backend;
  private final ForwarderRegistry registry;
  private final HookcastMetrics metrics;
  private final Alerts alerts;
  private final Tracing tracing;
  private HttpClient client;
  private CircuitBreaker breaker;
  private DeliveryQueue queue;
  private BackendCall call;
  private BodyWork signing;
  private OperatorLog log;
  /** The breaker's state as its handlers last reported it: whether an opening follows a failed probe. */
  private CircuitBreakerState circuit = CircuitBreakerState.CLOSED;
  private MessageConsumer<Object> consumer;
  private AtomicInteger inFlight;
  private Counter forwarded;
  private long lastTaken = System.nanoTime();
  private String noSlot;
  /** Why a reload retires this forwarder; {@code null} unless one does (a node that stops does not). */
  private volatile String retiredBecause;
  /**
   * Out of the registry: a change of the breaker after that (its reset timer firing as the forwarder goes) would put
   * it back for good, an open circuit of the backend that no longer exists.
   */
  private boolean gone;

  /**
   * @param registry where the node's readiness finds this forwarder and its circuit
   * @param tracing  the node's traces: each request to the backend is a span of its webhook's trace
   */
  public ForwarderVerticle(String nodeName, BackendConfig backend, ForwarderRegistry registry, HookcastMetrics metrics,
                           Alerts alerts, Tracing tracing) {
    this.alerts = alerts;
    this.nodeName = nodeName;
    this.backend = backend;
    this.registry = registry;
    this.metrics = metrics;
    this.tracing = tracing;
  }

  @Override
  public Future<?> start() {
    HttpClientOptions clientOptions = new HttpClientOptions()
      .setDefaultHost(backend.host())
      .setDefaultPort(backend.port())
      .setSsl(backend.ssl())
      .setKeepAlive(true)
      .setConnectTimeout((int) Math.min(backend.timeoutMs(), Integer.MAX_VALUE));
    // A delivery waits for at most one connection at a time, so the queue of waiters never needs to be longer
    // than the deliveries allowed to run; each waiter is given up at its webhook's deadline (BackendCall).
    client = vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(backend.maxConnections())
      .setMaxWaitQueueSize(backend.maxInFlight()));
    log = new OperatorLog();
    signing = BodyWork.forDeliveries(vertx);
    call = new BackendCall(new Deadlines(vertx), client, nodeName, backend, log, tracing, signing);
    queue = new DeliveryQueue(backend.maxInFlight(), backend.maxQueued());
    inFlight = metrics.inFlight(backend.name());
    forwarded = metrics.forwarded(backend.name());
    noSlot = "no free delivery slot within " + backend.timeoutMs() + " ms";
    breaker = createBreaker();
    registry.put(deploymentID(), backend.name(), CircuitBreakerState.CLOSED, lastOpenGone -> { });
    consumer = vertx.eventBus().consumer(Addresses.forwarders(backend), this::take);
    return consumer.completion();
  }

  /**
   * Called before a reload undeploys this forwarder: its circuit, if open, will never close to tell the alert
   * receivers the backend recovered, since nothing is sent to it any more (the forwarder of new settings starts
   * closed, and a removed backend has none). If it was the last open one of its backend on this node, going says so.
   *
   * @param why what the reload did to the backend, as the alert's text gives it
   */
  public void retire(String why) {
    retiredBecause = why;
  }

  /** Waits until no webhook arrives any more, stops taking them, finishes the ones taken, then releases the connections. */
  @Override
  public Future<?> stop() {
    Promise<Void> quiet = Promise.promise();
    awaitQuiet(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_QUIET_WAIT_MS), quiet);
    return quiet.future()
      .compose(v -> consumer.unregister())
      .compose(v -> queue.drained())
      .eventually(() -> {
        gone = true;
        String why = retiredBecause;
        registry.remove(deploymentID(), lastOpenGone -> {
          if (lastOpenGone && why != null) {
            String line = line("no longer open: " + why);
            log.circuit(true, line);
            raise(CircuitBreakerState.CLOSED, line);
          }
        });
        breaker.close();
        return client.close().eventually(signing::close);
      });
  }

  /**
   * A forwarder is retired once the ingresses have switched to another address (reload) or stopped (shutdown),
   * but webhooks sent just before may still be on their way to it, and other ingress instances of the node switch
   * moments later: unregistering then would make the event bus discard them. So it unregisters only after its
   * address has been silent for a while, or, if other nodes still send to it, after at most MAX_QUIET_WAIT_MS.
   */
  private void awaitQuiet(long giveUpAt, Promise<Void> quiet) {
    long now = System.nanoTime();
    long silentNanos = now - lastTaken;
    long quietNanos = TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
    if (silentNanos >= quietNanos || now >= giveUpAt) {
      quiet.complete();
    } else {
      vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(quietNanos - silentNanos)), id -> awaitQuiet(giveUpAt, quiet));
    }
  }

  private void take(Message<Object> message) {
    if (!(message.body() instanceof Handoff handoff)) {
      log.failure("backend '" + backend.name() + "' on node " + nodeName + ": ignored a message that is not a hand-off ("
        + (message.body() == null ? "null" : message.body().getClass().getName()) + ")");
      return;
    }
    long start = System.nanoTime();
    lastTaken = start;
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(Math.min(backend.timeoutMs(), handoff.timeoutMs()));
    if (queue.offer(() -> deliver(handoff, deadline))) {
      inFlight.incrementAndGet();
    } else {
      answer(handoff, refused(Outcome.UNAVAILABLE, Failure.OVERLOADED.category()));
    }
  }

  private void answer(Handoff handoff, DeliveryResult result) {
    vertx.eventBus().send(handoff.replyTo(), new Reply(handoff.exchange(), handoff.slot(), result));
  }

  private void deliver(Handoff handoff, long deadline) {
    if (System.nanoTime() >= deadline) {
      answer(handoff, refused(Outcome.TIMED_OUT, noSlot));
      done();
      return;
    }
    Webhook webhook = handoff.webhook();
    // The breaker reports a result its failure policy rejects as a bare failure; keep the result itself.
    Promise<DeliveryResult> delivered = Promise.promise();
    breaker.<DeliveryResult>execute(() -> call.attempt(webhook, handoff.attempt(), deadline).onSuccess(delivered::complete))
      .onComplete(ar -> {
        DeliveryResult result;
        if (delivered.future().succeeded()) {
          result = delivered.future().result();
          if (result.outcome().attempted() && !result.backendFailed() && breaker.failureCount() > 0) {
            // The breaker counts failures in a window; a success in between means they were not consecutive.
            breaker.reset();
          }
        } else if (ar.cause() instanceof OpenCircuitException) {
          result = refused(Outcome.UNAVAILABLE, CIRCUIT_OPEN);
        } else {
          log.failure("webhook " + webhook.requestId() + ": backend '" + backend.name() + "' on node " + nodeName
            + ": delivery failed (" + ar.cause() + ")");
          result = DeliveryResult.unanswered(new Outcome.Unreachable(Failure.OTHER.category(), false), 0, nodeName);
        }
        answer(handoff, result);
        if (result.outcome().attempted()) {
          // An open circuit's refusal reached no backend: the counter says how much this node delivered.
          forwarded.increment();
        }
        done();
      });
  }

  private DeliveryResult refused(int status, String error) {
    return DeliveryResult.unanswered(new Outcome.Refused(status, error), 0, nodeName);
  }

  private void done() {
    inFlight.decrementAndGet();
    queue.release();
  }

  private CircuitBreaker createBreaker() {
    CircuitBreakerOptions options = new CircuitBreakerOptions()
      .setMaxFailures(backend.circuitBreaker().failureThreshold())
      .setResetTimeout(backend.circuitBreaker().resetTimeoutMs())
      .setFailuresRollingWindow(FAILURE_WINDOW_MS)
      .setTimeout(-1)
      .setMaxRetries(0)
      .setNotificationAddress(null);
    CircuitBreaker created = CircuitBreaker.create("hookcast." + backend.name(), vertx, options);
    // A refusal before sending (the signature not ready by the deadline) never reached the backend: not its failure.
    created.<DeliveryResult>failurePolicy(future -> future.failed()
      || future.result().outcome().attempted() && future.result().backendFailed());
    created.openHandler(v -> circuitChanged(CircuitBreakerState.OPEN, (circuit == CircuitBreakerState.HALF_OPEN
      ? "opened again: the probe failed" : "opened after " + backend.circuitBreaker().failureThreshold()
      + " consecutive failed attempts") + "; answering 503 without contacting it for " + backend.circuitBreaker().resetTimeoutMs()
      + " ms"));
    created.halfOpenHandler(v -> circuitChanged(CircuitBreakerState.HALF_OPEN, "half-open: the next delivery is a probe"));
    created.closeHandler(v -> circuitChanged(CircuitBreakerState.CLOSED, "closed: deliveries resumed"));
    return created;
  }

  private void circuitChanged(CircuitBreakerState state, String what) {
    if (gone) {
      return;
    }
    circuit = state;
    String line = line(what);
    log.circuit(state == CircuitBreakerState.CLOSED, line);
    registry.put(deploymentID(), backend.name(), state, lastOpenGone -> {
      // With -instances N the node has N circuits of the backend: it has recovered once none is open any more.
      if (state == CircuitBreakerState.OPEN || (state == CircuitBreakerState.CLOSED && lastOpenGone)) {
        raise(state, line);
      }
    });
  }

  private String line(String what) {
    return "backend '" + backend.name() + "' (" + backend.origin() + ") on node " + nodeName + ": circuit " + what;
  }

  private void raise(CircuitBreakerState state, String line) {
    alerts.raise(new Alert(state == CircuitBreakerState.OPEN ? AlertConfig.CIRCUIT_OPEN : AlertConfig.RECOVERED, backend.name(),
      nodeName, Instant.now(), line, "/api/backends", new JsonObject().put("circuit", state.name().toLowerCase(Locale.ROOT))));
  }
}
