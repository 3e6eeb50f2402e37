package io.hookcast.logging;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up the one log pipeline at start: SLF4J into Logback, configured by the {@code logback.xml} in the jar
 * (a console appender behind an asynchronous one) unless the user names their own with
 * {@code -Dlogback.configurationFile}.
 */
public final class LogPipeline {

  private LogPipeline() {
  }

  /**
   * Sends java.util.logging (and System.Logger, which writes to it) into SLF4J, for the libraries that still log
   * there (the JDBC drivers, the JDK). {@code logback.xml}'s LevelChangePropagator keeps their levels in step,
   * so that a line Logback would drop is not built first.
   */
  public static void bridgeJavaUtilLogging() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
