package io.hookcast.admin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentEncodingTest {

  @Test
  void everyPercentMustStartAnEscapeOfTwoHexDigits() {
    assertTrue(PercentEncoding.valid("/api/messages"));
    assertTrue(PercentEncoding.valid("route=%2Fgithub&sender=a%2b"));
    assertFalse(PercentEncoding.valid("route=%zz"));
    assertFalse(PercentEncoding.valid("route=%2"));
    assertFalse(PercentEncoding.valid("50%"));
    assertFalse(PercentEncoding.valid("%%41"));
  }

  @Test
  void aQueryOfAHundredThousandCharactersIsCheckedWithoutOverflowingTheStack() {
    assertTrue(PercentEncoding.valid("route=" + "a%20".repeat(25_000)));
    assertFalse(PercentEncoding.valid("route=" + "a".repeat(100_000) + "%g0"));
  }
}
