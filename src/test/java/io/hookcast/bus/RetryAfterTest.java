package io.hookcast.bus;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryAfterTest {

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    assertEquals(2_000, RetryAfter.parseMs("2"));
    assertEquals(-1, RetryAfter.parseMs(null));
    assertEquals(-1, RetryAfter.parseMs("soon"));
    assertEquals(0, RetryAfter.parseMs("-5"));
    assertEquals(86_400_000, RetryAfter.parseMs("99999999999999999"));
    long inFive = RetryAfter.parseMs(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(5)));
    assertTrue(inFive > 3_000 && inFive <= 5_000, String.valueOf(inFive));
  }

  @Test
  void aDeliveryResultCarriesTheRetryAfterItsBackendAnsweredWith() {
    DeliveryResult asked = DeliveryResult.answered(503, () -> List.of(Map.entry("retry-after", "7")), "", false, 1, "a");
    assertEquals(7_000, asked.retryAfterMs());
    assertEquals(-1, DeliveryResult.answered(503, () -> List.of(), "", false, 1, "a").retryAfterMs());
  }
}
