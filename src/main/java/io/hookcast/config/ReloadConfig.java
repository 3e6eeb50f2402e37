package io.hookcast.config;

/** @param scanPeriodMs how often the config file is checked for changes; 0 turns live reload off */
public record ReloadConfig(long scanPeriodMs) {

  public static final long DEFAULT_SCAN_PERIOD_MS = 2_000;
}
