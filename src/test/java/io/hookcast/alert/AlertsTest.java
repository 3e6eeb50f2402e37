package io.hookcast.alert;

import io.hookcast.config.AlertConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.secrets.Secrets;
import io.hookcast.testing.Eventually;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.RecordingBackend;
import io.hookcast.testing.RecordingBackend.Received;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alerts to a real HTTP receiver on 127.0.0.1: what is sent, how often, signed, and what a failing receiver gets. */
@ExtendWith(VertxExtension.class)
class AlertsTest {

  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** The log a test captures, released after it however it ended. */
  private LogCapture log;

  @AfterEach
  void releaseTheAlertsLog() {
    if (log != null) {
      log.close();
    }
  }

  private static List<AlertConfig> receivers(JsonObject... receivers) {
    JsonObject config = new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "ci").put("url", "http://127.0.0.1:9/")))
      .put("alerts", new JsonArray(List.of((Object[]) receivers)));
    Map<String, String> environment = Map.of("ALERT_SECRET", SECRET);
    return Secrets.load(HookcastConfig.fromJson(config, environment), environment).alerts();
  }

  private static Alert alert(String type, String backend) {
    return new Alert(type, backend, "node-a", Instant.now(), "backend '" + backend + "': " + type, "/api/backends",
      new JsonObject().put("circuit", "open"));
  }

  private static Alert storeAlert(String type) {
    return storeAlert(type, 1);
  }

  private static Alert storeAlert(String type, long refusedSinceStart) {
    return new Alert(type, null, "node-a", Instant.now(), "store.path 'data': " + type, "/ready",
      new JsonObject().put("refusedSinceStart", refusedSinceStart));
  }

  @Test
  void aFlappingBackendGivesOneAlertPerEventAndBackendInAQuietPeriodAndOnlyTheEventsAsked(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 204, "").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url() + "hooks?team=ops")
        .put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN).add(AlertConfig.RECOVERED))));
      for (int i = 0; i < 3; i++) {
        alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "ci"));
        alerts.raise(alert(AlertConfig.RECOVERED, "ci"));
      }
      alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "audit"));
      alerts.raise(alert(AlertConfig.DEAD, "ci"));
      until(vertx, () -> receiver.received().size() >= 3).compose(v -> vertx.timer(500)).onComplete(context.succeeding(v -> context.verify(() -> {
        List<Received> received = receiver.received();
        assertEquals(3, received.size(), "open and recovered for ci, open for audit: " + received);
        assertEquals(Set.of("backend.circuit_open ci", "backend.recovered ci", "backend.circuit_open audit"), received.stream()
          .map(r -> r.body().toJsonObject().getString("type") + " " + r.body().toJsonObject().getString("backend"))
          .collect(Collectors.toSet()));
        JsonObject one = received.get(0).body().toJsonObject();
        assertEquals("node-a", one.getString("node"));
        assertEquals("/api/backends", one.getString("link"));
        assertEquals("open", one.getString("circuit"));
        assertEquals("/hooks?team=ops", received.get(0).uri());
        assertEquals("application/json", received.get(0).headers().get("Content-Type"));
        context.completeNow();
      })));
    }));
  }

  @Test
  void aCircuitThatOpensAgainWithinTheQuietPeriodAfterItsRecoveryIsSentAsOpenWhenThePeriodEnds(Vertx vertx,
                                                                                               VertxTestContext context) {
    RecordingBackend.answering(vertx, 204, "").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url()).put("quietSeconds", 3)
        .put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN).add(AlertConfig.RECOVERED))));
      alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "ci"));
      alerts.raise(alert(AlertConfig.RECOVERED, "ci"));
      alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "ci"));
      until(vertx, () -> receiver.received().size() >= 2).compose(v -> vertx.timer(300)).compose(v -> {
        context.verify(() -> assertEquals(2, receiver.received().size(), "the reopening was not held back: " + receiver.received()));
        return until(vertx, () -> receiver.received().size() >= 3).compose(sent -> vertx.timer(500));
      }).onComplete(context.succeeding(v -> context.verify(() -> {
        List<String> types = receiver.received().stream().map(r -> r.body().toJsonObject().getString("type")).toList();
        assertEquals(3, types.size(), types.toString());
        assertEquals(Set.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED), Set.copyOf(types.subList(0, 2)), types.toString());
        assertEquals(AlertConfig.CIRCUIT_OPEN, types.get(2), "the receiver was left with: " + types);
        context.completeNow();
      })));
    }));
  }

  @Test
  void aStoreThatFailsAgainWithinTheQuietPeriodAfterItsRecoveryIsSentAsUnavailableWhenThePeriodEnds(Vertx vertx,
                                                                                                    VertxTestContext context) {
    RecordingBackend.answering(vertx, 204, "").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url()).put("quietSeconds", 3)
        .put("events", new JsonArray().add(AlertConfig.STORE_UNAVAILABLE).add(AlertConfig.STORE_RECOVERED))));
      alerts.raise(storeAlert(AlertConfig.STORE_UNAVAILABLE));
      alerts.raise(storeAlert(AlertConfig.STORE_RECOVERED));
      alerts.raise(storeAlert(AlertConfig.STORE_UNAVAILABLE));
      until(vertx, () -> receiver.received().size() >= 3).compose(sent -> vertx.timer(500))
        .onComplete(context.succeeding(v -> context.verify(() -> {
          List<JsonObject> received = receiver.received().stream().map(r -> r.body().toJsonObject()).toList();
          assertEquals(List.of(AlertConfig.STORE_UNAVAILABLE, AlertConfig.STORE_RECOVERED, AlertConfig.STORE_UNAVAILABLE),
            received.stream().map(alert -> alert.getString("type")).toList(), "the receiver was left with: " + received);
          assertFalse(received.get(0).containsKey("backend"), received.get(0).encode());
          context.completeNow();
        })));
    }));
  }

  /** Every outage refused webhooks their senders may not send again: one within the quiet period is not folded away. */
  @Test
  void aStoreOutageThatBeginsAndEndsWithinTheQuietPeriodIsSentWhenThePeriodEnds(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 204, "").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url()).put("quietSeconds", 3)
        .put("events", new JsonArray().add(AlertConfig.STORE_UNAVAILABLE).add(AlertConfig.STORE_RECOVERED))));
      alerts.raise(storeAlert(AlertConfig.STORE_UNAVAILABLE, 1));
      alerts.raise(storeAlert(AlertConfig.STORE_RECOVERED, 2));
      until(vertx, () -> receiver.received().size() >= 2).compose(v -> {
        alerts.raise(storeAlert(AlertConfig.STORE_UNAVAILABLE, 3));
        alerts.raise(storeAlert(AlertConfig.STORE_RECOVERED, 7));
        return until(vertx, () -> receiver.received().size() >= 3);
      }).compose(sent -> vertx.timer(500)).onComplete(context.succeeding(v -> context.verify(() -> {
        List<JsonObject> received = receiver.received().stream().map(r -> r.body().toJsonObject()).toList();
        assertEquals(List.of(AlertConfig.STORE_UNAVAILABLE, AlertConfig.STORE_RECOVERED, AlertConfig.STORE_RECOVERED),
          received.stream().map(alert -> alert.getString("type")).toList(), "the receiver got: " + received);
        assertEquals(7, received.get(2).getLong("refusedSinceStart"), received.get(2).encode());
        context.completeNow();
      })));
    }));
  }

  /**
   * A receiver down for the three attempts of a {@code backend.recovered} would otherwise be left believing the
   * circuit open for good: what it did not take is tried again once the quiet period has passed.
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void aCircuitEventTheReceiverDidNotTakeIsSentAgainAfterTheQuietPeriod(Vertx vertx, VertxTestContext context) {
    AtomicInteger requests = new AtomicInteger();
    // The open is taken; the three attempts of the recovery fail; what comes after is taken.
    RecordingBackend.start(vertx, (request, body) -> {
      int n = requests.incrementAndGet();
      request.response().setStatusCode(n >= 2 && n <= 4 ? 503 : 204).end();
    }).onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url()).put("quietSeconds", 1)
        .put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN).add(AlertConfig.RECOVERED))));
      alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "ci"));
      until(vertx, () -> receiver.received().size() == 1)
        .compose(v -> {
          alerts.raise(alert(AlertConfig.RECOVERED, "ci"));
          return within(vertx, 40_000, () -> receiver.received().size() >= 5);
        })
        .compose(v -> vertx.timer(500))
        .onComplete(context.succeeding(v -> context.verify(() -> {
          List<String> types = receiver.received().stream().map(r -> r.body().toJsonObject().getString("type")).toList();
          assertEquals(List.of(AlertConfig.CIRCUIT_OPEN, AlertConfig.RECOVERED, AlertConfig.RECOVERED, AlertConfig.RECOVERED,
            AlertConfig.RECOVERED), types, "the receiver answered 503 to the 2nd to 4th and took the others");
          context.completeNow();
        })));
    }));
  }

  @Test
  void aSlackReceiverGetsTextAndASignedOneAStandardWebhooksSignature(Vertx vertx, VertxTestContext context) {
    Future.all(RecordingBackend.answering(vertx, 200, "ok"), RecordingBackend.answering(vertx, 200, "ok"))
      .onComplete(context.succeeding(both -> {
        RecordingBackend slack = both.resultAt(0);
        RecordingBackend signed = both.resultAt(1);
        Alerts alerts = new Alerts(vertx, receivers(
          new JsonObject().put("url", slack.url()).put("events", AlertConfig.DEAD).put("format", "slack"),
          new JsonObject().put("url", signed.url()).put("events", AlertConfig.DEAD)
            .put("sign", new JsonObject().put("secretEnv", "ALERT_SECRET"))));
        alerts.raise(alert(AlertConfig.DEAD, "ci"));
        until(vertx, () -> slack.received().size() == 1 && signed.received().size() == 1)
          .onComplete(context.succeeding(v -> context.verify(() -> {
            assertEquals("Hookcast node-a: backend 'ci': delivery.dead", slack.received().get(0).body().toJsonObject().getString("text"));
            Received one = signed.received().get(0);
            String id = one.headers().get("webhook-id");
            String timestamp = one.headers().get("webhook-timestamp");
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.substring("whsec_".length())), "HmacSHA256"));
            String expected = "v1," + Base64.getEncoder().encodeToString(
              mac.doFinal((id + "." + timestamp + "." + one.body().toString()).getBytes(StandardCharsets.UTF_8)));
            assertEquals(expected, one.headers().get("webhook-signature"));
            context.completeNow();
          })));
      }));
  }

  /** Three attempts under one id, so that a receiver that got one can tell the others are repeats; its URL's path stays out of the log. */
  @Test
  void aFailingReceiverIsTriedThreeTimesUnderOneIdThenTheAlertIsDroppedWithALogLineWithoutItsPath(Vertx vertx,
                                                                                                   VertxTestContext context) {
    log = LogCapture.of(Alerts.class);
    RecordingBackend.answering(vertx, 500, "down").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url() + "services/T0/B0/secret-path")
        .put("events", AlertConfig.DEAD).put("sign", new JsonObject().put("secretEnv", "ALERT_SECRET"))));
      alerts.raise(alert(AlertConfig.DEAD, "ci"));
      // Retries after 1 s and 2 s; nothing after that.
      vertx.timer(6_000).onComplete(context.succeeding(v -> context.verify(() -> {
        log.close();
        assertEquals(3, receiver.received().size());
        assertEquals(1, receiver.received().stream().map(one -> one.headers().get("webhook-id")).distinct().count(),
          "ids: " + receiver.received().stream().map(one -> one.headers().get("webhook-id")).toList());
        assertEquals(1, log.lines().size(), log.lines().toString());
        String line = log.lines().get(0);
        assertTrue(line.contains("to alerts[0] (" + receiver.url().replaceAll("/$", "") + ") not sent after 3"), line);
        assertFalse(line.contains("secret-path"), line);
        context.completeNow();
      })));
    }));
  }

  /** A revoked Slack URL answers 404 (or 403) to every alert: it is not asked again and again. */
  @Test
  void aReceiverThatRefusesAnAlertWithA4xxIsNotSentItAgainCircuitEventsIncluded(Vertx vertx, VertxTestContext context) {
    log = LogCapture.of(Alerts.class);
    RecordingBackend.answering(vertx, 404, "no_service").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url())
        .put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN)).put("quietSeconds", 0)));
      alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "ci"));
      // Without the refusal: retries after 1 s and 2 s, then the catch-up 10 s after the last.
      vertx.timer(14_000).onComplete(context.succeeding(v -> context.verify(() -> {
        log.close();
        assertEquals(1, receiver.received().size());
        assertEquals(1, log.lines().size(), log.lines().toString());
        assertTrue(log.lines().get(0).contains("not sent after 1 attempt (answered 404); dropped"), log.lines().get(0));
        context.completeNow();
      })));
    }));
  }

  /** A receiver URL that redirects (http:// moved to https://) would redirect every alert too: given up at once. */
  @Test
  void aReceiverThatRedirectsAnAlertIsNotAskedAgain(Vertx vertx) throws Exception {
    log = LogCapture.of(Alerts.class);
    RecordingBackend receiver = RecordingBackend.answering(vertx, 301, "moved").await(5, TimeUnit.SECONDS);
    Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url())
      .put("events", new JsonArray().add(AlertConfig.CIRCUIT_OPEN)).put("quietSeconds", 0)));
    vertx.runOnContext(v -> alerts.raise(alert(AlertConfig.CIRCUIT_OPEN, "ci")));

    // Without the refusal, the first line comes after retries 1 s and 2 s later, and promises a catch-up.
    Eventually.until(Duration.ofSeconds(10), () -> !log.lines().isEmpty(), () -> "nothing logged");
    assertTrue(log.lines().get(0).contains("not sent after 1 attempt (answered 301); dropped"), log.lines().get(0));
    assertEquals(1, receiver.received().size());
  }

  /**
   * Quiet period 0, so that nothing but the threshold can hold an alert back: a 59-second backlog sends nothing, a
   * 61-second one is sent, and the one that arrives is the 61-second one.
   */
  @Test
  void backlogAgeIsSentOnlyOnceTheOldestPendingMessageIsOlderThanTheReceiversThreshold(Vertx vertx, VertxTestContext context) {
    RecordingBackend.answering(vertx, 204, "").onComplete(context.succeeding(receiver -> {
      Alerts alerts = new Alerts(vertx, receivers(new JsonObject().put("url", receiver.url()).put("events", AlertConfig.BACKLOG_AGE)
        .put("backlogAgeSeconds", 60).put("quietSeconds", 0)));
      alerts.backlog(backlogAlert(59), 59);
      vertx.timer(500).compose(v -> {
        context.verify(() -> assertEquals(List.of(), receiver.received(), "a backlog 59 s old, below the threshold of 60 s"));
        alerts.backlog(backlogAlert(61), 61);
        return until(vertx, () -> !receiver.received().isEmpty());
      }).compose(v -> vertx.timer(300)).onComplete(context.succeeding(v -> context.verify(() -> {
        assertEquals(1, receiver.received().size(), receiver.received().toString());
        JsonObject sent = receiver.received().get(0).body().toJsonObject();
        assertEquals(AlertConfig.BACKLOG_AGE, sent.getString("type"));
        assertEquals(61, sent.getLong("oldestSeconds"), sent.encode());
        context.completeNow();
      })));
    }));
  }

  private static Alert backlogAlert(long oldestSeconds) {
    return new Alert(AlertConfig.BACKLOG_AGE, "ci", "node-a", Instant.now(), "backend 'ci': 1 delivery pending, the oldest for "
      + oldestSeconds + " s", "/api/messages?backend=ci&status=pending",
      new JsonObject().put("pending", 1).put("oldestSeconds", oldestSeconds));
  }

  /** Until {@code done}, or {@code ms} at most: the assertions after it say what was missing. */
  private static Future<Void> within(Vertx vertx, long ms, BooleanSupplier done) {
    long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    return until(vertx, () -> done.getAsBoolean() || System.nanoTime() - giveUpAt >= 0);
  }

  private static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    return done.getAsBoolean() ? Future.succeededFuture() : vertx.timer(50).compose(v -> until(vertx, done));
  }
}
