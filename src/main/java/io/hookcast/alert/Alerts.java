package io.hookcast.alert;

import io.hookcast.config.AlertConfig;
import io.hookcast.sign.WebhookSigner;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends operational alerts ({@code alerts[]}) to the receivers that want them: at most one per receiver, event and
 * backend (or the store) every {@code quietSeconds}, so that a flapping backend is one alert, not a storm; each sent
 * with a few bounded retries, then logged and dropped, except that a state (a backend's circuit, whether the store
 * accepts) the receiver has not taken is tried again after the quiet period. Raising one never waits and never fails: delivery of webhooks does not depend on whether
 * an alert got through. Confined to one context, whichever thread raises.
 */
public final class Alerts {

  private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);
  private static final int ATTEMPTS = 3;
  private static final long FIRST_RETRY_MS = 1_000;
  private static final long TIMEOUT_MS = 10_000;
  /**
   * The least a receiver that failed every attempt is left alone before a state is tried again: with a
   * short {@code quietSeconds}, one that is down would otherwise be tried without a pause for as long as it is.
   */
  private static final long AFTER_DROP_MS = 10_000;

  /**
   * One receiver's view of one state: a backend's circuit, or whether the store accepts. Events are numbered as they
   * are raised, so that an older one taken after a newer one (its first attempt failed, say) does not count as the
   * receiver's last.
   */
  private static final class State {
    private final int receiver;
    private Alert raised;
    private long raisedNumber;
    /** The type of the last event, by raising order, that the receiver answered 2xx; {@code null} for none yet. */
    private String taken;
    private long takenNumber;
    /** The number of the event whose attempts are under way, 0 for none. */
    private long sending;
    private boolean catchUpDue;

    private State(int receiver) {
      this.receiver = receiver;
    }

    /**
     * Whether the receiver lacks the last state: of a circuit, its type (a flap within the quiet period is one
     * event); of the store, any event after the one it took, since every outage refused webhooks that their senders
     * may not send again.
     */
    private boolean receiverIsBehind() {
      return aboutTheStore(raised) ? takenNumber < raisedNumber : !raised.type().equals(taken);
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final List<AlertConfig> receivers;
  private final Map<String, Long> lastSent = new HashMap<>();
  /** By receiver and subject. */
  private final Map<String, State> states = new HashMap<>();
  private final Map<AlertConfig, WebhookSigner> signers = new HashMap<>();
  private HttpClient client;

  /** @param receivers none: every raise is a no-op */
  public Alerts(Vertx vertx, List<AlertConfig> receivers) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.receivers = List.copyOf(receivers);
    for (AlertConfig receiver : this.receivers) {
      if (receiver.sign() != null) {
        signers.put(receiver, new WebhookSigner(receiver.sign()));
      }
    }
  }

  public void raise(Alert alert) {
    if (!receivers.isEmpty()) {
      context.runOnContext(v -> dispatch(alert, -1));
    }
  }

  /** {@code backlog.age} for receivers whose threshold {@code oldestSeconds} has passed. */
  public void backlog(Alert alert, long oldestSeconds) {
    if (!receivers.isEmpty()) {
      context.runOnContext(v -> dispatch(alert, oldestSeconds));
    }
  }

  private void dispatch(Alert alert, long oldestSeconds) {
    long now = System.currentTimeMillis();
    for (int i = 0; i < receivers.size(); i++) {
      AlertConfig receiver = receivers.get(i);
      if (!receiver.events().contains(alert.type()) || (oldestSeconds >= 0 && oldestSeconds < receiver.backlogAgeSeconds())) {
        continue;
      }
      State state = null;
      if (isState(alert)) {
        int index = i;
        state = states.computeIfAbsent(i + " " + subject(alert), key -> new State(index));
        state.raised = alert;
        state.raisedNumber++;
      }
      String key = key(i, alert);
      Long last = lastSent.get(key);
      long quietMs = TimeUnit.SECONDS.toMillis(receiver.quietSeconds());
      if (last != null && now - last < quietMs) {
        if (state != null) {
          catchUpIn(state, last + quietMs - now);
        }
        continue;
      }
      sendNow(i, key, state, alert, now);
    }
  }

  private static String key(int receiver, Alert alert) {
    return receiver + " " + alert.type() + " " + subject(alert);
  }

  /** What an alert is about: a backend, or the store. */
  private static String subject(Alert alert) {
    return aboutTheStore(alert) ? "the store" : "backend '" + alert.backend() + "'";
  }

  /** The store's events are the ones about no backend. */
  private static boolean aboutTheStore(Alert alert) {
    return alert.backend() == null;
  }

  private void catchUpIn(State state, long delayMs) {
    if (!state.catchUpDue) {
      state.catchUpDue = true;
      vertx.setTimer(Math.max(1, delayMs), timer -> catchUp(state));
    }
  }

  /**
   * A circuit that opened again within the quiet period after its recovery was sent (a store that failed again), or
   * an event the receiver did not take, would otherwise leave the receiver believing the wrong state: once the period
   * ends, the last state is sent if it differs from the last one the receiver took.
   */
  private void catchUp(State state) {
    state.catchUpDue = false;
    // Still being tried: if that fails too, its end comes back here.
    if (state.receiverIsBehind() && state.sending != state.raisedNumber) {
      sendNow(state.receiver, key(state.receiver, state.raised), state, state.raised, System.currentTimeMillis());
    }
  }

  private void sendNow(int index, String key, State state, Alert alert, long now) {
    lastSent.put(key, now);
    if (state == null) {
      send(index, alert, "alert-" + UUID.randomUUID(), 1, sent -> { });
      return;
    }
    long number = state.raisedNumber;
    state.sending = number;
    send(index, alert, "alert-" + UUID.randomUUID(), 1, sent -> {
      if (state.sending == number) {
        state.sending = 0;
      }
      if (sent == Sent.TAKEN && number > state.takenNumber) {
        state.taken = alert.type();
        state.takenNumber = number;
      } else if (sent == Sent.FAILED && state.receiverIsBehind()) {
        long quietMs = TimeUnit.SECONDS.toMillis(receivers.get(index).quietSeconds());
        long quietEnds = lastSent.getOrDefault(key(index, state.raised), 0L) + quietMs;
        catchUpIn(state, Math.max(quietEnds - System.currentTimeMillis(), AFTER_DROP_MS));
      }
    });
  }

  /** How sending an alert ended: the receiver took it, refused it as such (3xx, 4xx), or could not be reached. */
  private enum Sent { TAKEN, REFUSED, FAILED }

  /** Whether the alert says a state, which a later one of its subject changes back. */
  private static boolean isState(Alert alert) {
    return switch (alert.type()) {
      case AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED, AlertConfig.STORE_UNAVAILABLE, AlertConfig.STORE_RECOVERED -> true;
      default -> false;
    };
  }

  /**
   * @param id   the same for each attempt, so that a receiver that got an earlier one can tell this is a repeat
   * @param done told how it ended, after the last attempt
   */
  private void send(int index, Alert alert, String id, int attempt, Handler<Sent> done) {
    AlertConfig receiver = receivers.get(index);
    if (client == null) {
      client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT_MS));
    }
    Buffer body = (receiver.format() == AlertConfig.Format.SLACK
      ? new JsonObject().put("text", "Hookcast " + alert.node() + ": " + alert.text()) : alert.toJson()).toBuffer();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaders.CONTENT_TYPE, "application/json");
    WebhookSigner signer = signers.get(receiver);
    if (signer != null) {
      signer.sign(id, Instant.now(), body).applyTo(headers);
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(receiver.host()).setPort(receiver.port())
      .setSsl(receiver.ssl()).setURI(requestUri(receiver)).setHeaders(headers).setIdleTimeout(TIMEOUT_MS);
    client.request(options)
      .compose(request -> request.send(body))
      .compose(response -> response.body().map(response.statusCode()))
      .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .onComplete(ar -> {
        boolean delivered = ar.succeeded() && ar.result() >= 200 && ar.result() < 300;
        if (delivered) {
          done.handle(Sent.TAKEN);
          return;
        }
        String why = ar.succeeded() ? "answered " + ar.result() : failure(ar.cause());
        // A 4xx other than 408 and 429 is the receiver's answer to the alert itself (a revoked Slack URL, say), and a
        // 3xx is its answer to the URL (an http:// one its server moves to https://; alerts follow no redirect, as
        // deliveries do not): sent again, it would be answered the same, at every quiet period for as long as the
        // process runs.
        boolean refused = ar.succeeded() && ar.result() >= 300 && ar.result() < 500 && ar.result() != 408 && ar.result() != 429;
        if (attempt < ATTEMPTS && !refused) {
          vertx.setTimer(FIRST_RETRY_MS << (attempt - 1), timer -> send(index, alert, id, attempt + 1, done));
        } else {
          // Not the whole URL: the path of a Slack webhook, or a token in a query, is the receiver's credential.
          LOG.warn("alert " + alert.type() + " for " + subject(alert) + " to alerts[" + index + "] ("
            + receiver.url().getScheme() + "://" + receiver.host() + ":" + receiver.port() + ") not sent after " + attempt
            + (attempt == 1 ? " attempt" : " attempts") + " (" + why + "); " + (isState(alert) && !refused
            ? "the " + (aboutTheStore(alert) ? "store's" : "circuit's") + " state is sent again once the quiet period"
            + " has passed, if the receiver has not got it by then" : "dropped"));
          done.handle(refused ? Sent.REFUSED : Sent.FAILED);
        }
      });
  }

  /** Not the failure's message: Vert.x's names the request's path, which for a Slack webhook is its credential. */
  private static String failure(Throwable cause) {
    if (cause instanceof TimeoutException) {
      return "no answer within " + TIMEOUT_MS + " ms";
    }
    return cause instanceof ConnectException ? "could not connect" : cause.getClass().getSimpleName();
  }

  private static String requestUri(AlertConfig receiver) {
    String path = receiver.url().getRawPath() == null || receiver.url().getRawPath().isEmpty() ? "/" : receiver.url().getRawPath();
    return receiver.url().getRawQuery() == null ? path : path + "?" + receiver.url().getRawQuery();
  }
}
