package io.hookcast.bus;

import org.junit.jupiter.api.Test;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

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
}
