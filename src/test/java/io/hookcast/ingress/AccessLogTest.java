package io.hookcast.ingress;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.hookcast.logging.BatchedConsoleAppender;
import io.hookcast.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The webhook log is written by its own thread; a log that cannot keep up costs lines, never a wait. */
class AccessLogTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger("io.hookcast.webhook");
  private final List<ILoggingEvent> written = new CopyOnWriteArrayList<>();
  private final CountDownLatch slowDisk = new CountDownLatch(1);
  private final List<Thread> writerThreads = new CopyOnWriteArrayList<>();
  private volatile boolean blocking;
  private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
    @Override
    protected void append(ILoggingEvent record) {
      writerThreads.add(Thread.currentThread());
      if (blocking) {
        try {
          slowDisk.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      written.add(record);
    }
  };
  private AccessLog log;

  @BeforeEach
  void capture() {
    capture.start();
    logger.addAppender(capture);
    log = AccessLog.start("access-log-under-test");
  }

  @AfterEach
  void release() throws Exception {
    slowDisk.countDown();
    log.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);
    logger.detachAppender(capture);
    capture.stop();
  }

  @Test
  void linesAreWrittenByTheLogThreadNotTheCaller() throws Exception {
    log.webhook("webhook 1 POST / 2 B -> 200");
    awaitWritten(1);
    assertEquals("webhook 1 POST / 2 B -> 200", written.get(0).getFormattedMessage());
    assertEquals("access-log-under-test", writerThreads.get(0).getName());
    assertNotEquals(Thread.currentThread(), writerThreads.get(0));
  }

  @Test
  void whenTheLogBlocksCallersDoNotWaitAndDroppedLinesAreCountedThenReported() throws Exception {
    blocking = true;
    log.webhook("first");
    Eventually.until(Duration.ofSeconds(10), () -> !writerThreads.isEmpty(), () -> "the log thread never took the first line");
    long start = System.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      log.webhook("line " + i);
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(elapsedMs < 5_000, "callers waited for the log: " + elapsedMs + " ms");

    blocking = false;
    slowDisk.countDown();
    awaitWritten(2);
    String report = written.get(1).getFormattedMessage();
    assertTrue(report.matches("\\d+ webhook log lines dropped: the log could not keep up \\(\\d+ since start\\)"), report);
    long dropped = Long.parseLong(report.substring(0, report.indexOf(' ')));
    assertTrue(dropped >= 10_000 - 8_192, report);
  }

  /** The shipped console holds a batch's lines until its marked last one: an unmarked last line would never be written. */
  @Test
  void theLastLineOfEachBatchIsMarkedAsItsEnd() throws Exception {
    for (int i = 0; i < 100; i++) {
      log.webhook("line " + i);
    }
    awaitWritten(100);
    assertTrue(endsABatch(written.get(99)), "the last line is not marked");
    long marked = written.stream().filter(AccessLogTest::endsABatch).count();
    assertTrue(marked < 100, "every line was marked, as if each were a batch of its own");
    log.webhook("alone");
    awaitWritten(101);
    assertTrue(endsABatch(written.get(100)), "a line that came alone is not marked");
  }

  private static boolean endsABatch(ILoggingEvent line) {
    return line.getMarkerList() != null && line.getMarkerList().contains(BatchedConsoleAppender.END_OF_BATCH);
  }

  /** A stopping ingress answers its last webhooks while it drains: their lines are written before the stop completes. */
  @Test
  void stoppingWritesWhatIsQueuedBeforeItCompletes() throws Exception {
    for (int i = 0; i < 3; i++) {
      log.webhook("last " + i);
    }
    log.stop().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertEquals(List.of("last 0", "last 1", "last 2"), written.stream().map(ILoggingEvent::getFormattedMessage).toList());
    assertTrue(endsABatch(written.get(2)), "the last line is not marked, so the shipped console would not write it");
  }

  /** An idle node's log thread has nothing to wake up for: it waits for a line without a timeout. */
  @Test
  void anIdleLogThreadWaitsForALineWithoutWakingUp() throws Exception {
    log.webhook("one line");
    awaitWritten(1);
    Thread writer = writerThreads.get(0);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (writer.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(Thread.State.WAITING, writer.getState(), "an idle log thread should park until a line comes");
  }

  @Test
  void onlyOne503RefusalASecondIsLogged() throws Exception {
    log.refused(503, "refused 1");
    log.refused(503, "refused 2");
    log.refused(413, "refused 3");
    awaitWritten(2);
    Thread.sleep(200);
    assertEquals(List.of("refused 1; further 503 refusals in the next second are counted in metrics only", "refused 3"),
      written.stream().map(ILoggingEvent::getFormattedMessage).toList());
  }

  private void awaitWritten(int count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (written.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(written.size() >= count, "written: " + written.size());
  }
}
