package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.Codecs;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.Webhook;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.HttpConfig;
import io.hookcast.testing.AsyncSetup;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out's side of the hand-off, with event-bus consumers standing in for forwarders: what it reports when a
 * forwarder takes a webhook and never answers (its node died with it), and that results it did not ask for change
 * nothing.
 */
@ExtendWith(VertxExtension.class)
class ReplyInboxTest {

  private static final long TIMEOUT_MS = 300;
  private static final BackendConfig SILENT = AsyncSetup.backend("silent", "http://127.0.0.1:9/", TIMEOUT_MS, 5);
  private static final BackendConfig QUICK = AsyncSetup.backend("quick", "http://127.0.0.1:9/", TIMEOUT_MS, 5);
  private static final Webhook WEBHOOK = new Webhook("req-1", "POST", "/", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("x"));

  @BeforeEach
  void codecs(Vertx vertx) {
    Codecs.register(vertx, "node-a", HttpConfig.DEFAULT_MAX_BODY_BYTES);
  }

  @Test
  void aForwarderThatNeverAnswersIsReportedAsUnansweredAtTheDeadlineAndTheOthersAsTheyAnswered(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().<Handoff>consumer(Addresses.deliver(SILENT), message -> { });
    answering(vertx, QUICK, handoff -> List.of(outcome(handoff, 200)));
    long start = System.nanoTime();
    deliverOnAContext(vertx, List.of(SILENT, QUICK), null)
      .onComplete(context.succeeding(results -> context.verify(() -> {
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, results.get(0).status());
        assertTrue(results.get(0).error().startsWith("no reply from the forwarder"), results.get(0).error());
        assertEquals(0, results.get(0).attempts());
        assertEquals(200, results.get(1).status());
        assertTrue(elapsedMs >= TIMEOUT_MS, "gave up on the silent forwarder after " + elapsedMs + " ms, before its backend's deadline");
        context.completeNow();
      })));
  }

  @Test
  void resultsForAnotherWebhookOrABackendNotHandedTheWebhookChangeNothing(Vertx vertx, VertxTestContext context) {
    answering(vertx, SILENT, handoff -> List.of(
      new Outcome(handoff.exchange(), 1, result(500)),
      new Outcome(handoff.exchange() + 1, 0, result(500)),
      new Outcome(handoff.exchange(), 7, result(500)),
      new Outcome(handoff.exchange(), 0, result(201)),
      new Outcome(handoff.exchange(), 0, result(500))));
    deliverOnAContext(vertx, List.of(SILENT, QUICK), new boolean[] {true, false})
      .onComplete(context.succeeding(results -> context.verify(() -> {
        assertEquals(201, results.get(0).status());
        assertNull(results.get(1), "a backend the webhook was not handed to has no result");
        context.completeNow();
      })));
  }

  @Test
  void theInboxForgetsEachWebhookOnceAnsweredOrExpired(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().<Handoff>consumer(Addresses.deliver(SILENT), message -> { });
    answering(vertx, QUICK, handoff -> List.of(outcome(handoff, 200)));
    vertx.getOrCreateContext().runOnContext(v -> ReplyInbox.open(vertx).compose(inbox -> {
        FanOut quick = new FanOut(vertx.eventBus(), inbox, List.of(QUICK));
        FanOut silent = new FanOut(vertx.eventBus(), inbox, List.of(SILENT));
        return Future.all(quick.deliver(WEBHOOK), quick.deliver(WEBHOOK), silent.deliver(WEBHOOK)).map(all -> inbox.pending());
      })
      .onComplete(context.succeeding(pending -> context.verify(() -> {
        assertEquals(0, pending);
        context.completeNow();
      }))));
  }

  /** Opens an inbox and delivers on one event loop, as the ingress does. */
  private static Future<List<DeliveryResult>> deliverOnAContext(Vertx vertx, List<BackendConfig> backends, boolean[] wanted) {
    Promise<List<DeliveryResult>> results = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> ReplyInbox.open(vertx)
      .compose(inbox -> new FanOut(vertx.eventBus(), inbox, backends).deliver(WEBHOOK, wanted))
      .onComplete(results));
    return results.future();
  }

  private static void answering(Vertx vertx, BackendConfig backend, Function<Handoff, List<Outcome>> outcomes) {
    vertx.eventBus().<Handoff>consumer(Addresses.deliver(backend), (Message<Handoff> message) ->
      outcomes.apply(message.body()).forEach(outcome -> vertx.eventBus().send(message.body().replyTo(), outcome)));
  }

  private static Outcome outcome(Handoff handoff, int status) {
    return new Outcome(handoff.exchange(), handoff.slot(), result(status));
  }

  private static DeliveryResult result(int status) {
    return DeliveryResult.answered(status, List::of, "", false, 1, "node-a");
  }
}
