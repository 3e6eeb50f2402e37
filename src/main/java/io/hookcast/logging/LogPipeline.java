package io.hookcast.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.hookcast.config.LogConfig;
import org.slf4j.LoggerFactory;
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

  /**
   * Writes what is queued and then nothing more: for a process that refuses to run, whose one line must be the last.
   * Its shutdown otherwise logs too (the stock launcher reports the deployment that the exit cut short), and
   * whether such a line made it out depended on whose shutdown hook ran first.
   */
  public static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  /**
   * Writes lines in {@code config}'s format. Must run before anything else logs (the consoles are swapped over).
   * Only Hookcast's own {@code logback.xml} is changed: a configuration of the user's own says how its lines look.
   */
  public static void use(LogConfig config) {
    if (config.format() == LogConfig.Format.TEXT || System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null) {
      return;
    }
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    if (context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("async") instanceof AsyncAppender async) {
      inJson(context, async.getAppender("console"));
    }
    inJson(context, context.getLogger("io.hookcast.webhook").getAppender("webhooks"));
  }

  private static void inJson(LoggerContext context, Appender<ILoggingEvent> appender) {
    if (!(appender instanceof ConsoleAppender<ILoggingEvent> console)) {
      return;
    }
    JsonLine layout = new JsonLine();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    console.stop();
    console.setEncoder(encoder);
    console.start();
  }
}
