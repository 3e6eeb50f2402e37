package io.hookcast.fanout;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.Codecs;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Handoff;
import io.hookcast.bus.Reply;
import io.hookcast.bus.ReplyInbox;
import io.hookcast.bus.Webhook;
import io.hookcast.forward.OutcomeClassifier;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.CircuitBreakerConfig;
import io.hookcast.config.RetryConfig;
import io.hookcast.config.HttpConfig;
import io.hookcast.testing.AsyncSetup;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fan-out's side of the hand-off, with event-bus consumers standing in for forwarders: what it reports when a
 * forwarder takes a webhook and never answers (its node died with it) or when there is none, that results it did
 * not ask for change nothing, and that a retryable outcome is handed again, one request per hand-off.
 */
@ExtendWith(VertxExtension.class)
class FanOutTest {

  private static final long SHORT_MS = 200;
  private static final long LONG_MS = 600;
  private static final long GRACE_MS = 500;
  private static final BackendConfig SILENT = AsyncSetup.backend("silent", "http://127.0.0.1:9/", SHORT_MS, 5);
  private static final BackendConfig QUICK = AsyncSetup.backend("quick", "http://127.0.0.1:9/", LONG_MS, 5);
  private static final BackendConfig NOBODY = AsyncSetup.backend("nobody", "http://127.0.0.1:9/", LONG_MS, 5);
  /** Up to three attempts, 10 ms apart at most. */
  private static final BackendConfig RETRYING = new BackendConfig("retrying", URI.create("http://127.0.0.1:9/"), "127.0.0.1", 9,
    5_000, 8, 16, 64, 1024, new RetryConfig(3, 10, 10), new CircuitBreakerConfig(5, 200), List.of(), null, null);
  private static final Webhook WEBHOOK = new Webhook("req-1", "POST", "/", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("x"));

  @BeforeEach
  void codecs(Vertx vertx) {
    Codecs.register(vertx, "node-a", 25L * 1024 * 1024);
  }

  @Test
  void aForwarderThatNeverAnswersIsReportedAsUnansweredAtTheRoutesLongestDeadline(Vertx vertx, VertxTestContext context) {
    vertx.eventBus().<Handoff>consumer(Addresses.forwarders(SILENT), message -> { });
    answering(vertx, QUICK, handoff -> List.of(outcome(handoff, 200)));
    long start = System.nanoTime();
    onOneEventLoop(vertx, inbox -> new FanOut(vertx, inbox, List.of(SILENT, QUICK)).deliver(WEBHOOK, null))
      .onComplete(context.succeeding(results -> context.verify(() -> {
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, results.get(0).status());
        assertTrue(results.get(0).error().startsWith("no reply from the forwarder"), results.get(0).error());
        assertEquals(0, results.get(0).attempts());
        assertEquals(200, results.get(1).status());
        assertTrue(elapsedMs >= LONG_MS + GRACE_MS, "gave up on the silent forwarder after " + elapsedMs + " ms");
        assertTrue(elapsedMs < LONG_MS + GRACE_MS + 3_000, "waited " + elapsedMs + " ms for the silent forwarder");
        context.completeNow();
      })));
  }

  @Test
  void aBackendWithoutForwardersIsReportedAtOnce(Vertx vertx, VertxTestContext context) {
    answering(vertx, QUICK, handoff -> List.of(outcome(handoff, 200)));
    long start = System.nanoTime();
    onOneEventLoop(vertx, inbox -> new FanOut(vertx, inbox, List.of(NOBODY, QUICK)).deliver(WEBHOOK, null))
      .onComplete(context.succeeding(results -> context.verify(() -> {
        assertEquals(503, results.get(0).status());
        assertEquals("no forwarder", results.get(0).error());
        assertEquals(200, results.get(1).status());
        assertTrue((System.nanoTime() - start) / 1_000_000 < LONG_MS, "waited for the deadline");
        context.completeNow();
      })));
  }

  /** Two webhooks in flight at once; each forwarder also sends results for the other webhook and for slots it was not handed. */
  @Test
  void resultsForAnotherWebhookOrABackendNotHandedTheWebhookChangeNothing(Vertx vertx, VertxTestContext context) {
    List<Handoff> taken = new ArrayList<>();
    vertx.eventBus().<Handoff>consumer(Addresses.forwarders(SILENT), message -> {
      taken.add(message.body());
      if (taken.size() == 2) {
        Handoff first = taken.get(0);
        Handoff second = taken.get(1);
        for (Reply stray : List.of(new Reply(first.exchange(), 1, result(500)), new Reply(second.exchange(), 7, result(500)),
          new Reply(Math.max(first.exchange(), second.exchange()) + 1, 0, result(500)),
          new Reply(first.exchange(), 0, result(201)), new Reply(first.exchange(), 0, result(500)),
          new Reply(second.exchange(), 0, result(202)))) {
          vertx.eventBus().send(first.replyTo(), stray);
        }
      }
    });
    boolean[] firstOnly = {true, false};
    onOneEventLoop(vertx, inbox -> {
      FanOut fanOut = new FanOut(vertx, inbox, List.of(SILENT, QUICK));
      return Future.all(fanOut.deliver(WEBHOOK, firstOnly), fanOut.deliver(WEBHOOK, firstOnly)).map(all -> {
        List<DeliveryResult> first = all.resultAt(0);
        List<DeliveryResult> second = all.resultAt(1);
        return List.of(first.get(0), second.get(0), first.get(1) == null ? result(200) : result(500));
      });
    }).onComplete(context.succeeding(results -> context.verify(() -> {
      assertEquals(201, results.get(0).status());
      assertEquals(202, results.get(1).status());
      assertEquals(200, results.get(2).status(), "a backend the webhook was not handed to has no result");
      context.completeNow();
    })));
  }

  /** The forwarder makes one request per hand-off; the fan-out hands again while the outcome says it may. */
  @Test
  void aRetryableOutcomeIsHandedAgainAsTheNextAttemptAndTheLastOneIsTheBackendsResult(Vertx vertx, VertxTestContext context) {
    List<Integer> attempts = new ArrayList<>();
    answering(vertx, RETRYING, handoff -> {
      attempts.add(handoff.attempt());
      DeliveryResult result = handoff.attempt() < 3 ? result(503) : result(200);
      return List.of(new Reply(handoff.exchange(), handoff.slot(), result));
    });
    onOneEventLoop(vertx, inbox -> new FanOut(vertx, inbox, List.of(RETRYING)).deliver(WEBHOOK, null))
      .onComplete(context.succeeding(results -> context.verify(() -> {
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(200, results.get(0).status());
        assertEquals(3, results.get(0).attempts());
        context.completeNow();
      })));
  }

  @Test
  void anOutcomeThatIsNotRetryableEndsTheBackendsDeliveryAfterOneHandoff(Vertx vertx, VertxTestContext context) {
    List<Integer> attempts = new ArrayList<>();
    answering(vertx, RETRYING, handoff -> {
      attempts.add(handoff.attempt());
      return List.of(outcome(handoff, 500));
    });
    onOneEventLoop(vertx, inbox -> new FanOut(vertx, inbox, List.of(RETRYING)).deliver(WEBHOOK, null))
      .onComplete(context.succeeding(results -> context.verify(() -> {
        assertEquals(List.of(1), attempts);
        assertEquals(500, results.get(0).status());
        assertEquals(1, results.get(0).attempts());
        context.completeNow();
      })));
  }

  /**
   * The forwarder stand-in runs on another event loop. The exchange's future is not bound to a context, so its
   * callback runs where the result was taken in: it must be the delivering loop's thread, which confines the inbox.
   */
  @Test
  void resultsArriveOnTheEventLoopThatDelivers(Vertx vertx, VertxTestContext context) {
    AtomicReference<Thread> forwarderThread = new AtomicReference<>();
    VerticleBase forwarder = new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.eventBus().<Handoff>consumer(Addresses.forwarders(QUICK), message -> {
          forwarderThread.set(Thread.currentThread());
          vertx.eventBus().send(message.body().replyTo(), outcome(message.body(), 200));
        }).completion();
      }
    };
    vertx.deployVerticle(forwarder).onComplete(context.succeeding(id -> vertx.getOrCreateContext().runOnContext(v -> {
      Thread loop = Thread.currentThread();
      ReplyInbox inbox = new ReplyInbox(vertx);
      FanOut fanOut = new FanOut(vertx, inbox, List.of(QUICK));
      inbox.registered().onComplete(context.succeeding(r -> fanOut.deliver(WEBHOOK, null)
        .onComplete(context.succeeding(results -> context.verify(() -> {
          assertEquals(200, results.get(0).status());
          assertNotSame(loop, forwarderThread.get(), "the stand-in must answer from another thread for this to show anything");
          assertSame(loop, Thread.currentThread());
          assertNull(fanOut.deliver(WEBHOOK, new boolean[] {false}).result().get(0));
          context.completeNow();
        })))));
    })));
  }

  /** Opens an inbox and delivers on one event loop, as the ingress does. */
  private static <T> Future<T> onOneEventLoop(Vertx vertx, Function<ReplyInbox, Future<T>> work) {
    Promise<T> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      ReplyInbox inbox = new ReplyInbox(vertx);
      inbox.registered().compose(r -> work.apply(inbox)).onComplete(done);
    });
    return done.future();
  }

  private static void answering(Vertx vertx, BackendConfig backend, Function<Handoff, List<Reply>> outcomes) {
    vertx.eventBus().<Handoff>consumer(Addresses.forwarders(backend), (Message<Handoff> message) ->
      outcomes.apply(message.body()).forEach(outcome -> vertx.eventBus().send(message.body().replyTo(), outcome)));
  }

  private static Reply outcome(Handoff handoff, int status) {
    return new Reply(handoff.exchange(), handoff.slot(), result(status));
  }

  private static DeliveryResult result(int status) {
    return DeliveryResult.answered(OutcomeClassifier.answered(status, -1, false), List::of, Buffer.buffer(), false, 1, "node-a");
  }
}
