package io.hookcast.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per line for log shippers ({@code log.format: json}): {@code time} (UTC, ISO-8601 with
 * milliseconds), {@code level} (the same word as the text line), {@code logger}, {@code message}, and
 * {@code exception} (its stack trace as text) when there is one. A message's own line breaks are escaped, so a
 * shipper never splits an entry.
 */
public final class JsonLine extends LayoutBase<ILoggingEvent> {

  /** Always three digits of milliseconds, which ISO_INSTANT leaves out on a whole second. */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String doLayout(ILoggingEvent event) {
    JsonObject line = new JsonObject()
      .put("time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
      .put("level", LevelWord.of(event.getLevel()))
      .put("logger", event.getLoggerName())
      .put("message", event.getFormattedMessage());
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.put("exception", ThrowableProxyUtil.asString(thrown));
    }
    return line.encode() + System.lineSeparator();
  }
}
