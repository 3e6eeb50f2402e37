package io.hookcast.ingress;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The webhook log: one line per webhook and per refusal, written off the event loop.
 * <p>
 * A log handler writes to a stream under a lock, so writing from an event loop would stall every connection
 * on it whenever the console or disk is slow. Lines go into a bounded queue instead, drained by one daemon thread
 * of this ingress; when the queue is full a line is dropped (never waited for) and counted, and the count is
 * logged with the next line written.
 * <p>
 * What a line costs is kept small because it is paid per webhook, on cores the event loops share: the writer runs
 * every {@value #BATCH_MILLIS} ms and writes what gathered, so that adding a line never wakes a thread (one wake-up
 * per webhook, each a futex call and a context switch, cost more than the line), and it hands java.util.logging
 * records that name their source, which otherwise walks the writer's stack for every line to find it.
 */
final class AccessLog {

  private static final String NAME = "io.hookcast.webhook";
  private static final Logger LOG = Logger.getLogger(NAME);
  private static final int CAPACITY = 8_192;
  private static final long BATCH_MILLIS = 20;
  private static final long OVERLOAD_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** @param epochMilli when it happened: the line is written up to {@value #BATCH_MILLIS} ms later */
  private record Line(Level level, String text, long epochMilli) {
  }

  private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledExecutorService writer;
  private long reportedDrops;
  /** Confined to the ingress's event loop. */
  private long lastOverloadLog = System.nanoTime() - 2 * OVERLOAD_LOG_INTERVAL_NANOS;

  private AccessLog(String threadName) {
    writer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, threadName);
      thread.setDaemon(true);
      return thread;
    });
  }

  static AccessLog start(String threadName) {
    AccessLog log = new AccessLog(threadName);
    log.writer.scheduleWithFixedDelay(log::drain, BATCH_MILLIS, BATCH_MILLIS, TimeUnit.MILLISECONDS);
    return log;
  }

  /** Stops the writer once what is queued is written. */
  void stop() {
    writer.execute(this::drain);
    writer.shutdown();
  }

  void webhook(String line) {
    offer(new Line(Level.INFO, line, System.currentTimeMillis()));
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
    offer(new Line(Level.WARNING, line, System.currentTimeMillis()));
  }

  private void offer(Line line) {
    if (!queue.offer(line)) {
      dropped.incrementAndGet();
    }
  }

  /** Runs on the writer's thread only. */
  private void drain() {
    List<Line> batch = new ArrayList<>();
    queue.drainTo(batch);
    long drops = dropped.get();
    if (drops > reportedDrops) {
      write(new Line(Level.WARNING, (drops - reportedDrops) + " webhook log lines dropped: the log could not keep up ("
        + drops + " since start)", System.currentTimeMillis()));
      reportedDrops = drops;
    }
    batch.forEach(AccessLog::write);
  }

  private static void write(Line line) {
    if (!LOG.isLoggable(line.level())) {
      return;
    }
    LogRecord record = new LogRecord(line.level(), line.text());
    record.setInstant(Instant.ofEpochMilli(line.epochMilli()));
    record.setLoggerName(NAME);
    record.setSourceClassName(NAME);
    record.setSourceMethodName(null);
    LOG.log(record);
  }
}
