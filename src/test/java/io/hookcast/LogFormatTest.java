package io.hookcast;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogFormatTest {

  @Test
  void writesTheLineSimpleFormatterWritesWithHookcastsPattern() {
    System.setProperty("java.util.logging.SimpleFormatter.format", LogFormat.SIMPLE_FORMAT);
    SimpleFormatter simple = new SimpleFormatter();
    LogFormat format = new LogFormat();
    Instant second = Instant.parse("2026-11-27T13:05:01Z");
    for (long millis : new long[] {0, 7, 42, 999, 1_000, 61_005}) {
      for (Level level : new Level[] {Level.INFO, Level.WARNING, Level.SEVERE, Level.FINE}) {
        LogRecord record = new LogRecord(level, "webhook 1 POST /hook 2 B -> 200 in 3 ms [one=200 1ms]");
        record.setLoggerName("io.hookcast.webhook");
        record.setInstant(second.plusMillis(millis));
        assertEquals(simple.format(record), format.format(record));
      }
    }
  }

  @Test
  void aThrowableFollowsTheMessageAsSimpleFormatterWritesIt() {
    System.setProperty("java.util.logging.SimpleFormatter.format", LogFormat.SIMPLE_FORMAT);
    LogRecord record = new LogRecord(Level.SEVERE, "could not start");
    record.setLoggerName("io.hookcast.Main");
    record.setThrown(new IllegalStateException("port taken"));
    assertEquals(new SimpleFormatter().format(record), new LogFormat().format(record));
  }
}
