package io.hookcast.schedule;

import io.hookcast.bus.Outcome;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.RateConfig;
import io.hookcast.testing.AsyncSetup;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which rate a lane that replaces another takes up. */
class BackendRatesTest {

  private static BackendConfig billing(String url, RateConfig rate) {
    return AsyncSetup.withRate(AsyncSetup.backend("billing", url, 5_000, 5), rate);
  }

  /** The rates after the backend pushed back once: halved to 20/s. */
  private static BackendRates pushedBack(BackendConfig backend) {
    BackendRates rates = new BackendRates();
    AdaptiveRate rate = new AdaptiveRate(backend.rate(), null, 0);
    rate.settled(new Outcome.Rejected(429, -1), 5, 1_000);
    rates.update(backend, rate);
    return rates;
  }

  @Test
  void theSameBackendAtTheSameUrlAndPerSecondTakesItsLearntRateUp() {
    BackendConfig backend = billing("http://127.0.0.1:9001/hooks", new RateConfig(40, 40, 0));
    BackendRates rates = pushedBack(backend);
    assertEquals(20.0, rates.learnt(backend).current());
    assertEquals(20.0, rates.learnt(billing("http://127.0.0.1:9001/hooks", new RateConfig(40, 5, 500))).current(),
      "a changed burst or slowMs keeps what the backend taught");
  }

  @Test
  void anotherUrlOrPerSecondStartsOver() {
    BackendRates rates = pushedBack(billing("http://127.0.0.1:9001/hooks", new RateConfig(40, 40, 0)));
    assertNull(rates.learnt(billing("http://127.0.0.1:9002/hooks", new RateConfig(40, 40, 0))), "another host");
    assertNull(rates.learnt(billing("http://127.0.0.1:9001/hooks", new RateConfig(80, 40, 0))), "another perSecond");
  }

  @Test
  void aStartingSchedulerKeepsOnlyTheRatesOfItsRateLanes() {
    BackendConfig backend = billing("http://127.0.0.1:9001/hooks", new RateConfig(40, 40, 0));
    BackendRates rates = pushedBack(backend);
    rates.retain(List.of("other"));
    assertNull(rates.of("billing"));
    assertNull(rates.learnt(backend));
  }
}
