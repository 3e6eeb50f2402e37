package io.hookcast.admin.api;

import io.hookcast.store.DeliveryStatus;
import io.vertx.core.MultiMap;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Query parameters and body fields of the API, read one way, with a 400 naming the parameter when one is wrong. */
final class Params {

  private static final String STATUSES = Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::column)
    .collect(Collectors.joining("|"));

  private Params() {
  }

  /** The parameter, or {@code null} when it is absent or empty. */
  static String text(MultiMap params, String name) {
    String value = params.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  static int number(MultiMap params, String name, int fallback, int min, int max) {
    String value = text(params, name);
    if (value == null) {
      return fallback;
    }
    try {
      int number = Integer.parseInt(value);
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException e) {
      // answered below, as for a number out of range
    }
    throw ApiError.badRequest(name + ": expected a whole number from " + min + " to " + max + ", got '" + value + "'");
  }

  static DeliveryStatus status(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    for (DeliveryStatus status : DeliveryStatus.values()) {
      if (status.column().equals(value.toLowerCase(Locale.ROOT))) {
        return status;
      }
    }
    throw ApiError.badRequest(name + ": expected one of " + STATUSES + ", got '" + value + "'");
  }

  /** An ISO-8601 instant ({@code 2026-11-27T10:00:00Z}) or epoch milliseconds. */
  static Instant instant(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return value.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
    } catch (NumberFormatException | DateTimeParseException e) {
      throw ApiError.badRequest(name + ": expected an ISO-8601 instant (2026-11-27T10:00:00Z) or epoch milliseconds, got '"
        + value + "'");
    }
  }
}
