package io.hookcast.testing;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A client for request shapes no HTTP client sends: writes raw bytes and collects what comes back. */
public final class RawSocket {

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

  /**
   * What the server sent, whether it closed the connection within the wait, and any failure seen (a reset).
   */
  public record Exchange(String received, boolean closedByServer, Throwable failure) {

    public int answers() {
      Matcher matcher = STATUS_LINE.matcher(received);
      int count = 0;
      while (matcher.find()) {
        count++;
      }
      return count;
    }

    public int status() {
      Matcher matcher = STATUS_LINE.matcher(received);
      return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    public String header(String name) {
      Matcher matcher = Pattern.compile("(?mi)^" + Pattern.quote(name) + ": *([^\r\n]*)").matcher(headPart());
      return matcher.find() ? matcher.group(1) : null;
    }

    public String body() {
      int end = received.indexOf("\r\n\r\n");
      return end < 0 ? "" : received.substring(end + 4);
    }

    private String headPart() {
      int end = received.indexOf("\r\n\r\n");
      return end < 0 ? received : received.substring(0, end);
    }

    @Override
    public String toString() {
      return "closed=" + closedByServer + " failure=" + failure + " received='" + received + "'";
    }
  }

  private RawSocket() {
  }

  /** Sends {@code request} on a new connection and waits up to {@code waitMs} for the server to close it. */
  public static Exchange exchange(Vertx vertx, int port, String request, long waitMs) throws Exception {
    return exchange(vertx, port, request, null, "", waitMs);
  }

  /**
   * As a client that sends {@code Expect: 100-continue} does: sends {@code head}, then {@code body} only once what
   * came back contains {@code awaited}, or after {@code waitMs} without it; then waits up to {@code waitMs} for the
   * server to close the connection.
   */
  public static Exchange exchange(Vertx vertx, int port, String head, String awaited, String body, long waitMs) throws Exception {
    NetSocket socket = vertx.createNetClient().connect(port, "127.0.0.1").await(5, TimeUnit.SECONDS);
    StringBuffer received = new StringBuffer();
    Throwable[] failure = new Throwable[1];
    Promise<Boolean> closed = Promise.promise();
    Promise<Void> heard = Promise.promise();
    socket.handler(bytes -> {
      received.append(bytes.toString(StandardCharsets.ISO_8859_1));
      if (awaited == null || received.indexOf(awaited) >= 0) {
        heard.tryComplete();
      }
    });
    socket.exceptionHandler(e -> failure[0] = e);
    socket.closeHandler(v -> closed.tryComplete(true));
    // Byte for byte, as received is read: a request line's bytes above 0x7F are no UTF-8.
    socket.write(Buffer.buffer(head.getBytes(StandardCharsets.ISO_8859_1)));
    if (awaited != null) {
      try {
        heard.future().await(waitMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException notHeard) {
        // The body goes anyway, as a client stops waiting for a 100 that may never come; the caller sees what came back.
      }
    }
    long timer = vertx.setTimer(waitMs, id -> closed.tryComplete(false));
    socket.write(Buffer.buffer(body.getBytes(StandardCharsets.ISO_8859_1)));
    boolean byServer = closed.future().await(waitMs + 5_000, TimeUnit.MILLISECONDS);
    vertx.cancelTimer(timer);
    if (!byServer) {
      socket.close().await(5, TimeUnit.SECONDS);
    }
    return new Exchange(received.toString(), byServer, failure[0]);
  }
}
