package io.hookcast.schedule;

import io.hookcast.bus.Outcome;
import io.hookcast.config.RateConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate's arithmetic, with the clock passed in; RateLimitTest shows it on real deliveries. */
class AdaptiveRateTest {

  private static final Outcome OK = new Outcome.Delivered(200);
  private static final URI URL = URI.create("http://127.0.0.1:9/hooks");

  @Test
  void letsTheBurstGoAtOnceThenOneDeliveryPerTickOfTheRate() {
    AdaptiveRate rate = new AdaptiveRate(new RateConfig(20, 5, 0), null, 0);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, rate.take(0), "burst " + i);
    }
    assertEquals(50, rate.take(0), "the next token comes 1/20 s later");
    assertEquals(0, rate.take(50));
    int sent = 0;
    for (long now = 51; now < 1_051; now++) {
      if (rate.take(now) == 0) {
        sent++;
      }
    }
    assertEquals(20, sent, "a second at 20/s after the burst is spent");
  }

  @Test
  void pushBackHalvesTheRateOncePerSecondAndRetryAfterPausesIt() {
    AdaptiveRate rate = new AdaptiveRate(new RateConfig(40, 40, 0), null, 0);
    String change = rate.settled(new Outcome.Rejected(429, 2_000), 5, 1_000);
    assertEquals("rate lowered to 20/s, paused for 2000 ms: it answered 429 with Retry-After", change);
    assertEquals(20.0, rate.perSecond());
    assertEquals(3_000, rate.pausedUntil());
    assertEquals(0, rate.allowance(2_999));
    assertEquals(1, rate.take(2_999));
    assertNull(rate.settled(new Outcome.Rejected(429, -1), 5, 1_100), "one halving per second for answers sent together");
    assertEquals(20.0, rate.perSecond());
    assertEquals("rate lowered to 10/s: it answered 503", rate.settled(new Outcome.Rejected(503, -1), 5, 2_100));
    assertEquals("it answered 503", rate.reason());
  }

  @Test
  void aPauseForRetryAfterEarnsNoBurstForWhenItEnds() {
    AdaptiveRate rate = new AdaptiveRate(new RateConfig(10, 10, 0), null, 0);
    rate.settled(new Outcome.Rejected(429, 5_000), 5, 0);
    assertEquals(5.0, rate.perSecond());
    assertEquals(5, rate.allowance(5_000), "the halved rate's second, not a burst saved up during the pause: "
      + rate.allowance(5_000));
    assertEquals(200, rate.take(5_000), "the first delivery after the pause waits for its token at 5/s");
    assertEquals(0, rate.take(5_200));
  }

  @Test
  void climbsBackByATwentiethAtMostEvery200MsAndSaysSoOnlyWhenBack() {
    AdaptiveRate rate = new AdaptiveRate(new RateConfig(40, 40, 0), null, 0);
    rate.settled(new Outcome.Rejected(429, -1), 5, 1_000);
    for (int i = 1; i < 10; i++) {
      assertNull(rate.settled(OK, 5, 1_000 + 200 * i));
      assertNull(rate.settled(OK, 5, 1_001 + 200 * i), "a second delivery in the same 200 ms is no step");
      assertEquals(20.0 + 2 * i, rate.perSecond(), 1e-9);
    }
    assertEquals("back to the configured 40/s", rate.settled(OK, 5, 3_000));
    assertEquals(40.0, rate.perSecond());
    assertEquals("configured", rate.reason());
    assertNull(rate.settled(OK, 5, 3_200));
  }

  @Test
  void aSlowAnswerCountsAsPushBackOnlyWhenSlowMsIsSet() {
    AdaptiveRate unset = new AdaptiveRate(new RateConfig(10, 10, 0), null, 0);
    assertNull(unset.settled(OK, 60_000, 1_000));
    AdaptiveRate slow = new AdaptiveRate(new RateConfig(10, 10, 500), null, 0);
    assertEquals("rate lowered to 5.0/s: an answer took 900 ms (slowMs 500)", slow.settled(OK, 900, 1_000));
  }

  @Test
  void neverFallsBelowAHundredthOfTheConfiguredRate() {
    AdaptiveRate rate = new AdaptiveRate(new RateConfig(100, 100, 0), null, 0);
    for (long now = 1_000; now < 20_000; now += 1_000) {
      rate.settled(new Outcome.Rejected(429, -1), 5, now);
    }
    assertEquals(1.0, rate.perSecond());
    assertTrue(rate.take(100_000) == 0);
  }

  @Test
  void aRateLearntBeforeIsTakenUpWhereItWas() {
    BackendRates.Rate learnt = new BackendRates.Rate(40, 10.0, "it answered 429", Instant.ofEpochMilli(5_000), URL);
    AdaptiveRate rate = new AdaptiveRate(new RateConfig(40, 40, 0), learnt, 1_000);
    assertEquals(10.0, rate.perSecond());
    assertEquals("it answered 429", rate.reason());
    assertEquals(5_000, rate.pausedUntil());
    assertEquals(4_000, rate.take(1_000), "still paused for the backend's Retry-After");
    AdaptiveRate unpaused = new AdaptiveRate(new RateConfig(40, 40, 0),
      new BackendRates.Rate(40, 10.0, "it answered 429", Instant.EPOCH, URL), 1_000);
    assertEquals(100, unpaused.take(1_000), "no burst: the first delivery waits a tick of the lowered rate");
    assertNull(unpaused.settled(new Outcome.Rejected(429, -1), 5, 1_500),
      "a push-back within a second of taking the rate up is the one that lowered it");
    assertEquals(10.0, unpaused.perSecond());
  }
}
