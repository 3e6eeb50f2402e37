package io.hookcast.config;

/**
 * Human durations in the configuration: {@code "500ms"}, {@code "5s"}, {@code "5m"}, {@code "2h"}, {@code "1d"}. Their
 * form is the schema's ({@code $defs/schedule}); what a pattern cannot say is the range, in milliseconds.
 */
final class Durations {

  private Durations() {
  }

  /** @throws ConfigException naming {@code key} when the duration, of the schema's form, is not from 1 ms to {@code maxMs} */
  static long parseMs(String value, String key, long maxMs) {
    String text = value.trim();
    int unit = text.length() - (text.endsWith("ms") ? 2 : 1);
    long ms = Long.parseLong(text.substring(0, unit)) * switch (text.substring(unit)) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      case "h" -> 3_600_000;
      default -> 86_400_000;
    };
    if (ms < 1 || ms > maxMs) {
      throw ConfigException.at(key, value + " is out of range 1ms.." + maxMs / 3_600_000 + "h");
    }
    return ms;
  }
}
