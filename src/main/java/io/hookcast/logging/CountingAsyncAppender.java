package io.hookcast.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logback's asynchronous appender, set never to block, which counts the lines its full queue drops: Logback's own
 * drops them without a trace. The count goes out as a warning ahead of the next line that fits, so that a gap in the
 * log says how large it is. A line is counted when it finds the queue full; one that loses the last place to another
 * thread's line is dropped uncounted, so the count is a lower bound.
 */
public final class CountingAsyncAppender extends AsyncAppender {

  /** The logger the warning is logged as. */
  static final String LOGGER = "io.hookcast.logging";

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();

  @Override
  protected void append(ILoggingEvent event) {
    if (getRemainingCapacity() == 0) {
      dropped.incrementAndGet();
      return;
    }
    long drops = dropped.get();
    long before = reported.get();
    if (drops > before && reported.compareAndSet(before, drops)) {
      super.append(warning(drops - before, drops));
    }
    super.append(event);
  }

  private ILoggingEvent warning(long lines, long sinceStart) {
    Logger logger = ((LoggerContext) getContext()).getLogger(LOGGER);
    return new LoggingEvent(Logger.FQCN, logger, Level.WARN, lines + " log lines dropped: the log could not keep up ("
      + sinceStart + " since start)", null, null);
  }
}
