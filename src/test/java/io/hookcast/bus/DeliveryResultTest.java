package io.hookcast.bus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DeliveryResultTest {

  @Test
  void responseHeadersAreWorkedOutOnlyWhenReadAndThenOnce() {
    AtomicInteger workedOut = new AtomicInteger();
    DeliveryResult result = DeliveryResult.answered(new Outcome.Delivered(200), () -> {
      workedOut.incrementAndGet();
      return List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X-Trace", "t1"));
    }, "ok", false, 3, "a").withAttempts(2, 5);
    assertEquals(0, workedOut.get());
    assertEquals(List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X-Trace", "t1")), result.headers());
    assertEquals(1, workedOut.get());
  }
}
