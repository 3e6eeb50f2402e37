package io.hookcast.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages one logger writes while it is open, for tests that check a log line. It holds the logger itself:
 * JUL keeps loggers weakly, and a collected one would come back without the handler.
 */
public final class LogCapture extends Handler implements AutoCloseable {

  private final Logger logger;
  private final Level level;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.level = logger.getLevel();
  }

  /** Captures every level of the logger named after {@code source}. */
  public static LogCapture of(Class<?> source) {
    LogCapture capture = new LogCapture(Logger.getLogger(source.getName()));
    capture.logger.setLevel(Level.ALL);
    capture.logger.addHandler(capture);
    return capture;
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void publish(LogRecord record) {
    lines.add(record.getMessage());
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(level);
  }
}
