package io.hookcast.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous appender, never blocking and without a discarding threshold as the shipped logback.xml sets it,
 * with a queue of two lines, in front of a console that stops and starts again.
 */
class CountingAsyncAppenderTest {

  /** Writes each line's level, logger and message; holds the first line until it is let go. */
  private static final class StalledConsole extends AppenderBase<ILoggingEvent> {
    final List<String> written = new CopyOnWriteArrayList<>();
    final CountDownLatch stalled = new CountDownLatch(1);
    final CountDownLatch letGo = new CountDownLatch(1);
    final CountDownLatch firstThreeWritten = new CountDownLatch(3);
    final CountDownLatch allWritten = new CountDownLatch(5);

    @Override
    protected void append(ILoggingEvent event) {
      stalled.countDown();
      try {
        assertTrue(letGo.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      written.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage());
      firstThreeWritten.countDown();
      allWritten.countDown();
    }
  }

  @Test
  void linesAFullQueueDropsAreCountedAndTheCountIsLoggedAheadOfTheNextLine() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    StalledConsole console = new StalledConsole();
    console.setContext(context);
    console.start();
    CountingAsyncAppender async = new CountingAsyncAppender();
    async.setContext(context);
    async.setQueueSize(2);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();
    ch.qos.logback.classic.Logger logger = context.getLogger("io.hookcast.Main");
    logger.addAppender(async);

    logger.info("line 1");
    assertTrue(console.stalled.await(10, TimeUnit.SECONDS));
    // Line 1 is being written; lines 2 and 3 fill the queue; the other five find it full.
    for (int i = 2; i <= 8; i++) {
      logger.info("line " + i);
    }
    console.letGo.countDown();
    assertTrue(console.firstThreeWritten.await(10, TimeUnit.SECONDS));
    logger.info("line 9");
    assertTrue(console.allWritten.await(10, TimeUnit.SECONDS), () -> String.join("\n", console.written));
    context.stop();

    assertEquals(List.of("INFO io.hookcast.Main line 1", "INFO io.hookcast.Main line 2", "INFO io.hookcast.Main line 3",
      "WARN io.hookcast.logging 5 log lines dropped: the log could not keep up (5 since start)",
      "INFO io.hookcast.Main line 9"), console.written);
  }
}
