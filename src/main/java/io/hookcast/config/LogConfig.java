package io.hookcast.config;

/** @param format how each log line is written: text for people, JSON for log shippers */
public record LogConfig(Format format) {

  public static final LogConfig DEFAULT = new LogConfig(Format.TEXT);

  public enum Format { TEXT, JSON }
}
