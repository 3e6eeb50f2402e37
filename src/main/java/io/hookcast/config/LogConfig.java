package io.hookcast.config;

/** @param format how each log line is written: text for people, JSON for log shippers */
public record LogConfig(Format format) {

  public enum Format { TEXT, JSON }
}
