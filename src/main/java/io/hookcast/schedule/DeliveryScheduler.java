package io.hookcast.schedule;

import io.hookcast.alert.Alert;
import io.hookcast.alert.Alerts;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.config.AlertConfig;
import io.hookcast.config.BackendConfig;
import io.hookcast.deadline.Deadlines;
import io.hookcast.store.StoreMetrics;
import io.hookcast.store.Backlog;
import io.hookcast.store.ClaimedDelivery;
import io.hookcast.store.DeliveryStore;
import io.hookcast.store.DueDeliveries;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Delivers the stored messages of asynchronous routes: one {@link BackendLane} per backend takes what this node
 * accepts straight from the accept (leased in its transaction, see {@link DueDeliveries}) and claims due deliveries
 * (retries, overflow, expired leases, other nodes' messages; polled, and at once when the store says some are due),
 * hands them to the backend's forwarders over the event bus as a sync route does, one request per attempt, with
 * the outcomes coming back to one {@link ReplyInbox}, and records each attempt. Several schedulers, on any
 * nodes, may share one store: leases keep them apart. Undeploying it stops claiming and waits for the attempts
 * under way to be recorded.
 */
public final class DeliveryScheduler extends VerticleBase implements DueDeliveries {

  /**
   * How long a stopping scheduler waits for its attempts under way to end and be recorded, for backends whose
   * longest timeoutMs is {@code timeoutMs}. A store that fails the writes gets no longer: what is not recorded is
   * delivered again once its lease ends.
   */
  public static long stopBoundMs(long timeoutMs, long recordMs) {
    return BackendLane.attemptMs(timeoutMs, recordMs);
  }

  /** How often due deliveries (retries, expired leases, other nodes' messages) are looked for. */
  static final long POLL_MS = 250;
  /** How often the backlog gauges are refreshed. */
  static final long BACKLOG_MS = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryScheduler.class);
  /**
   * The share of the heap that bodies held for delivery may take: the ingress holds up to {@code http.maxBufferedBytes}
   * (half the heap by default) of bodies still arriving, and the store's writes copy some once more.
   */
  private static final int HEAP_SHARE_DIVISOR = 4;

  private final DeliveryStore store;
  private final StoreMetrics metrics;
  private final String nodeName;
  private final long leaseMs;
  private final long recordMs;
  private final Collection<BackendConfig> backends;
  private final BackendRates rates;
  private final Alerts alerts;
  private final Map<String, BackendLane> lanes = new LinkedHashMap<>();
  /** Backends the configuration no longer has whose waiting deliveries this scheduler has logged. */
  private final Set<String> unconfigured = new HashSet<>();
  private final BodyBudget bodies;
  private final Promise<Void> idle = Promise.promise();
  private Runnable unsubscribe;
  private long pollTimer;
  private long backlogTimer;
  private int running;

  /**
   * @param leaseMs  how long a claimed delivery is this node's (delivery.async.leaseMs)
   * @param recordMs the longest an attempt's outcome may take to be recorded (store.timeoutMs)
   * @param backends the backends to deliver to, each with its own retry schedule
   * @param rates    the node's backend rates, which the lanes of backends with a rate keep up to date
   * @param maxBodyBytes the largest body a webhook may have (http.maxBodyBytes): a claim's share of the body budget
   *                 holds at least one, while the budget has that much left
   */
  public DeliveryScheduler(DeliveryStore store, StoreMetrics metrics, String nodeName, long leaseMs, long recordMs,
                           Collection<BackendConfig> backends, BackendRates rates, Alerts alerts, long maxBodyBytes) {
    this.alerts = alerts;
    this.store = store;
    this.metrics = metrics;
    this.nodeName = nodeName;
    this.leaseMs = leaseMs;
    this.recordMs = recordMs;
    this.backends = List.copyOf(backends);
    this.bodies = new BodyBudget(Runtime.getRuntime().maxMemory() / HEAP_SHARE_DIVISOR, this.backends.size(), maxBodyBytes);
    this.rates = rates;
  }

  @Override
  public Future<?> start() {
    ReplyInbox inbox = new ReplyInbox(vertx);
    Deadlines deadlines = new Deadlines(vertx);
    for (BackendConfig backend : backends) {
      lanes.put(backend.name(), new BackendLane(vertx, store, metrics, nodeName, backend, new RetrySchedule(backend.asyncScheduleMs()), leaseMs, recordMs,
        bodies, inbox, deadlines, this::laneIdle, rates, alerts));
    }
    // A backend that this scheduler's lanes deliver to without a rate (or not at all) has none to show.
    List<String> rated = backends.stream().filter(backend -> backend.rate() != null).map(BackendConfig::name).toList();
    rates.retain(rated);
    metrics.retainRates(rated);
    running = lanes.size();
    // Nothing is sent before replies can reach the inbox: a remote forwarder's reply to an inbox the cluster does not
    // know yet is dropped, and its delivery, taken by the backend, would be recorded as timed out and sent again.
    return inbox.registered().onSuccess(registered -> {
      unsubscribe = store.subscribe(this);
      pollTimer = vertx.setPeriodic(0, POLL_MS, id -> lanes.values().forEach(BackendLane::pump));
      backlogTimer = vertx.setPeriodic(0, BACKLOG_MS, id -> store.backlog()
        .onSuccess(backlog -> {
          Instant now = Instant.now();
          metrics.backlog(lanes.keySet(), backlog, now);
          backlog.forEach(b -> {
            sayIfUnconfigured(b);
            backlogAlert(b, now);
          });
        }));
    });
  }

  /**
   * Once per scheduler and backend: deliveries to a backend the configuration no longer has (a reload removed it, a
   * restart with another file) wait for it, undelivered, until a backend of that name is configured again.
   */
  private void sayIfUnconfigured(Backlog backlog) {
    if (backlog.deliveries() > 0 && !lanes.containsKey(backlog.backend()) && unconfigured.add(backlog.backend())) {
      LOG.warn(backlog.deliveries() + " deliveries to backend '" + backlog.backend() + "' wait: the configuration no longer"
        + " has it; they are delivered once a backend of that name is configured again (or cancel them: POST"
        + " /api/messages/{id}/cancel?backend=" + backlog.backend() + ")");
    }
  }

  private void backlogAlert(Backlog backlog, Instant now) {
    if (backlog.deliveries() == 0 || backlog.oldestReceivedAt() == null) {
      return;
    }
    long oldestSeconds = Duration.between(backlog.oldestReceivedAt(), now).toSeconds();
    alerts.backlog(new Alert(AlertConfig.BACKLOG_AGE, backlog.backend(), nodeName, now, "backend '" + backlog.backend()
      + "'" + (lanes.containsKey(backlog.backend()) ? "" : " (no longer configured)") + ": " + backlog.deliveries()
      + (backlog.deliveries() == 1 ? " delivery" : " deliveries") + " pending, the oldest for " + oldestSeconds + " s",
      "/api/messages?backend="
      + backlog.backend() + "&status=pending", new JsonObject().put("pending", backlog.deliveries())
      .put("oldestSeconds", oldestSeconds)), oldestSeconds);
  }

  @Override
  public Future<?> stop() {
    unsubscribe.run();
    vertx.cancelTimer(pollTimer);
    vertx.cancelTimer(backlogTimer);
    if (lanes.isEmpty()) {
      return Future.succeededFuture();
    }
    lanes.values().forEach(BackendLane::stop);
    // Once the lanes are idle, none updates its rate again; the scheduler that replaces this one starts after that,
    // and its lanes take the rates up where these left them.
    return idle.future();
  }

  @Override
  public Slot reserve(String backend, long bytes) {
    BackendLane lane = lanes.get(backend);
    return lane == null ? null : lane.reserve(bytes);
  }

  @Override
  public void unreserve(Slot slot) {
    lanes.get(slot.backend()).unreserve(slot);
  }

  @Override
  public void leased(List<ClaimedDelivery> deliveries) {
    for (ClaimedDelivery delivery : deliveries) {
      lanes.get(delivery.backend()).take(delivery);
    }
  }

  @Override
  public void due(Set<String> backends) {
    for (String backend : backends) {
      BackendLane lane = lanes.get(backend);
      if (lane != null) {
        lane.due();
      }
    }
  }

  private void laneIdle() {
    if (--running == 0) {
      idle.tryComplete();
    }
  }
}
