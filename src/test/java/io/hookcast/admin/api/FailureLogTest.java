package io.hookcast.admin.api;

import io.hookcast.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailureLogTest {

  @Test
  void theFirstFailureIsLoggedThenOneLineAPeriodCountsTheOthers() throws Exception {
    FailureLog failures = new FailureLog(200);
    List<String> lines;
    try (LogCapture log = LogCapture.of(OperatorApi.class)) {
      long start = System.nanoTime();
      for (int i = 0; i < 5; i++) {
        failures.answered("GET /api/messages", 503, new TimeoutException("the store did not answer"));
      }
      assertTrue(System.nanoTime() - start < 200_000_000L, "five calls took longer than the period");
      Thread.sleep(250);
      failures.answered("GET /api/backends", 503, new TimeoutException("the store did not answer"));
      lines = log.lines();
    }

    assertEquals(2, lines.size(), lines.toString());
    assertEquals("operator API: GET /api/messages answered 503: java.util.concurrent.TimeoutException: the store did not answer",
      lines.get(0));
    assertTrue(lines.get(1).startsWith("operator API: GET /api/backends answered 503: "), lines.get(1));
    assertTrue(lines.get(1).endsWith("(and 4 more failed answers since the last such line)"),
      lines.get(1));
  }
}
