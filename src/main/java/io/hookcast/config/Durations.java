package io.hookcast.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Human durations in the configuration: {@code "500ms"}, {@code "5s"}, {@code "5m"}, {@code "2h"}, {@code "1d"}. */
final class Durations {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {
  }

  /** @throws ConfigException naming {@code key} when the value is not a duration from 1 ms to {@code maxMs} */
  static long parseMs(Object value, String key, long maxMs) {
    Matcher matcher = value instanceof String text ? DURATION.matcher(text.trim()) : null;
    if (matcher == null || !matcher.matches()) {
      throw new ConfigException(key + ": expected a duration such as \"500ms\", \"5s\", \"5m\", \"2h\" or \"1d\", got " + value);
    }
    long amount = Long.parseLong(matcher.group(1));
    long unitMs = switch (matcher.group(2)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 86_400_000;
    };
    long ms = amount * unitMs;
    if (ms < 1 || ms > maxMs) {
      throw new ConfigException(key + ": " + value + " is out of range 1ms.." + maxMs / 3_600_000 + "h");
    }
    return ms;
  }
}
