package io.hookcast.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The console for a log whose lines come in batches from one thread (the webhook log, ingress.AccessLog): its lines
 * are gathered and written with one system call per batch, where the plain console makes one per line. A batch ends
 * with the line marked {@link #END_OF_BATCH}, or when {@value #BUFFER_BYTES} bytes have gathered; stopping writes
 * what is left. Lines stay whole: each is added to the buffer in one piece.
 */
public final class BatchedConsoleAppender extends ConsoleAppender<ILoggingEvent> {

  /** Marks the last line of a batch: it and the lines before it are written at once. */
  public static final Marker END_OF_BATCH = MarkerFactory.getMarker("hookcast.end-of-batch");
  private static final int BUFFER_BYTES = 64 * 1024;

  public BatchedConsoleAppender() {
    setImmediateFlush(false);
  }

  @Override
  public void setOutputStream(OutputStream console) {
    super.setOutputStream(new BufferedOutputStream(console, BUFFER_BYTES));
  }

  @Override
  protected void subAppend(ILoggingEvent event) {
    super.subAppend(event);
    List<Marker> markers = event.getMarkerList();
    if (markers != null && markers.contains(END_OF_BATCH)) {
      streamWriteLock.lock();
      try {
        getOutputStream().flush();
      } catch (IOException e) {
        addError("could not write the log's lines", e);
      } finally {
        streamWriteLock.unlock();
      }
    }
  }
}
