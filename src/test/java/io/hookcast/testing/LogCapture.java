package io.hookcast.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The messages one logger writes while it is open, at every level, for tests that check a log line. */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level level;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.level = logger.getLevel();
  }

  /** Captures every level of the logger named after {@code source}. */
  public static LogCapture of(Class<?> source) {
    return of(source.getName());
  }

  public static LogCapture of(String name) {
    LogCapture capture = new LogCapture((Logger) LoggerFactory.getLogger(name));
    capture.appender.start();
    capture.logger.addAppender(capture.appender);
    capture.logger.setLevel(Level.ALL);
    return capture;
  }

  public List<String> lines() {
    // ListAppender adds to its list under its own lock (AppenderBase.doAppend is synchronized).
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(level);
    appender.stop();
  }
}
