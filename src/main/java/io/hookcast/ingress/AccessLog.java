package io.hookcast.ingress;

import io.hookcast.logging.BatchedConsoleAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook log: one line per webhook and per refusal, logged as {@code io.hookcast.webhook} off the event loop.
 * <p>
 * What a line costs is paid per webhook, on cores the event loops share, so lines are not handed to the log one
 * by one: an asynchronous appender wakes its writer thread for each line that finds it idle, and a wake-up per
 * webhook (a futex call and a context switch) costs more than the line. Lines go into a bounded queue instead, which
 * one daemon thread of this ingress empties: it waits for a first line, gathers what follows for
 * {@value #BATCH_MILLIS} ms and hands the batch to the log, so it wakes once a batch under load and never on an idle
 * node. The shipped {@code logback.xml} writes this logger straight from that thread, each batch in one system call.
 * A line therefore carries the time it is written, at most {@value #BATCH_MILLIS} ms after the answer. When the queue
 * is full a line is dropped (never waited for) and counted, and the count is logged with the next lines written.
 */
final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("io.hookcast.webhook");
  private static final int CAPACITY = 8_192;
  private static final long BATCH_MILLIS = 20;
  private static final long OVERLOAD_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  private record Line(boolean warning, String text) {
  }

  private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final Thread writer;
  private final CompletableFuture<Void> written = new CompletableFuture<>();
  /** Confined to the writer's thread. */
  private long reportedDrops;
  /** Confined to the ingress's event loop. */
  private long lastOverloadLog = System.nanoTime() - 2 * OVERLOAD_LOG_INTERVAL_NANOS;

  private AccessLog(String threadName) {
    writer = new Thread(this::run, threadName);
    writer.setDaemon(true);
  }

  static AccessLog start(String threadName) {
    AccessLog log = new AccessLog(threadName);
    log.writer.start();
    return log;
  }

  /** Stops the writer once what is queued is written; completes, on the writer's thread, when it is. */
  CompletionStage<Void> stop() {
    writer.interrupt();
    return written;
  }

  void webhook(String line) {
    offer(new Line(false, line));
  }

  /**
   * Logs a refusal. Under overload every webhook is refused: one 503 line a second says so without flooding the
   * log; the others are counted in metrics only.
   */
  void refused(int status, String line) {
    if (status == 503) {
      long now = System.nanoTime();
      if (now - lastOverloadLog < OVERLOAD_LOG_INTERVAL_NANOS) {
        return;
      }
      lastOverloadLog = now;
      line += "; further 503 refusals in the next second are counted in metrics only";
    }
    offer(new Line(true, line));
  }

  private void offer(Line line) {
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  /** The writer's loop, until {@link #stop()} interrupts it: then what is queued is written and the thread ends. */
  private void run() {
    try {
      boolean stopping = false;
      while (!stopping) {
        Line first = null;
        try {
          // This writer's own thread, never an event loop: it may wait for a line and for the rest of its batch.
          first = queue.take();
          Thread.sleep(BATCH_MILLIS);
        } catch (InterruptedException e) {
          stopping = true;
        }
        writeBatch(first);
      }
    } finally {
      written.complete(null);
    }
  }

  /**
   * Writes {@code first} (when there is one) and what has been queued since. The batch's last line is marked as such,
   * so that the shipped console writes the batch with one system call rather than one per line.
   */
  private void writeBatch(Line first) {
    List<Line> batch = new ArrayList<>();
    long drops = dropped.get();
    if (drops > reportedDrops) {
      batch.add(new Line(true, (drops - reportedDrops) + " webhook log lines dropped: the log could not keep up (" + drops
        + " since start)"));
      reportedDrops = drops;
    }
    if (first != null) {
      batch.add(first);
    }
    queue.drainTo(batch);
    for (int i = 0; i < batch.size(); i++) {
      write(batch.get(i), i == batch.size() - 1);
    }
  }

  /** The batch's last line carries the marker on which the console appender flushes; the others none. */
  private static void write(Line line, boolean last) {
    Marker marker = last ? BatchedConsoleAppender.END_OF_BATCH : null;
    if (line.warning()) {
      LOG.warn(marker, line.text());
    } else {
      LOG.info(marker, line.text());
    }
  }
}
