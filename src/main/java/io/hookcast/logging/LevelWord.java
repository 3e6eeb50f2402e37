package io.hookcast.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The level as Hookcast's lines have always named it (java.util.logging's words: {@code WARNING}, {@code SEVERE}),
 * so that the line, and what operators grep and alert on, stays the same with Logback underneath.
 */
public final class LevelWord extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return of(event.getLevel());
  }

  static String of(Level level) {
    switch (level.toInt()) {
      case Level.ERROR_INT:
        return "SEVERE";
      case Level.WARN_INT:
        return "WARNING";
      case Level.INFO_INT:
        return "INFO";
      case Level.DEBUG_INT:
        return "FINE";
      default:
        return "FINEST";
    }
  }
}
