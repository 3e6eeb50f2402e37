package io.hookcast.fanout;

import io.hookcast.config.RetryConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickRetriesTest {

  @Test
  void backoffIsFullJitterUnderAnExponentialCap() {
    QuickRetries retries = new QuickRetries(new RetryConfig(10, 100, 1_000));
    for (int i = 0; i < 200; i++) {
      assertTrue(retries.delayMs(2, -1) <= 100);
      assertTrue(retries.delayMs(3, -1) <= 200);
      assertTrue(retries.delayMs(9, -1) <= 1_000);
    }
  }

  @Test
  void retryAfterWinsOverBackoff() {
    assertEquals(3_000, new QuickRetries(new RetryConfig(3, 100, 2_000)).delayMs(2, 3_000));
  }
}
