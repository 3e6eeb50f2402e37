package io.hookcast.bus;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeUnit;

/** A backend's {@code Retry-After}: how long it asked to be left alone, for quick retries and the async schedule alike. */
public final class RetryAfter {

  public static final String HEADER = "Retry-After";

  private RetryAfter() {
  }

  /** Retry-After as delay-seconds or an HTTP-date; -1 when absent or unreadable. */
  public static long parseMs(String value) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String trimmed = value.trim();
    try {
      // Clamped to a day, as a date is, so that a huge value cannot overflow into an immediate retry or pause a
      // backend for good.
      return Math.max(0, Math.min(Long.parseLong(trimmed), TimeUnit.DAYS.toSeconds(1))) * 1000;
    } catch (NumberFormatException notSeconds) {
      try {
        long at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        return Math.max(0, Math.min(at - System.currentTimeMillis(), TimeUnit.DAYS.toMillis(1)));
      } catch (DateTimeParseException notADate) {
        return -1;
      }
    }
  }
}
