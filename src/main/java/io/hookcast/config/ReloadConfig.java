package io.hookcast.config;

/** @param scanPeriodMs how often the config file is checked for changes; 0 turns live reload off */
public record ReloadConfig(long scanPeriodMs) {
}
