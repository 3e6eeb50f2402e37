package io.hookcast.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Logback's asynchronous appender, set never to block, which counts the lines it drops: Logback's own drops them
 * without a trace. The count goes out as a warning ahead of the next line that fits, so that a gap in the log says
 * how large it is. Counted: a line that finds the queue full, one that a pending warning leaves no room for, and one
 * discarded below the discarding threshold. Not counted: a line that loses the last place to another thread's, so
 * the count is a lower bound. A warning that itself loses the last place is gone, but the next one's total since
 * start still covers its lines.
 */
public final class CountingAsyncAppender extends AsyncAppender {

  /** The logger the warning is logged as. */
  static final String LOGGER = "io.hookcast.logging";

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong reported = new AtomicLong();

  @Override
  protected void append(ILoggingEvent event) {
    long drops = dropped.get();
    long before = reported.get();
    boolean warn = drops > before;
    if (getRemainingCapacity() < (warn ? 2 : 1)) {
      dropped.incrementAndGet();
      return;
    }
    if (warn && reported.compareAndSet(before, drops)) {
      super.append(warning(drops - before, drops));
    }
    super.append(event);
  }

  @Override
  protected boolean isDiscardable(ILoggingEvent event) {
    boolean discarded = super.isDiscardable(event);
    if (discarded) {
      dropped.incrementAndGet();
    }
    return discarded;
  }

  private ILoggingEvent warning(long lines, long sinceStart) {
    Logger logger = ((LoggerContext) getContext()).getLogger(LOGGER);
    return new LoggingEvent(Logger.FQCN, logger, Level.WARN, lines + " log lines dropped: the log could not keep up ("
      + sinceStart + " since start)", null, null);
  }
}
