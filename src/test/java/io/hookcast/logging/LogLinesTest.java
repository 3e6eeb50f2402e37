package io.hookcast.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lines the shipped logback.xml writes, and the JSON line of {@code log.format: json}. */
class LogLinesTest {

  private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ";

  @Test
  void theTextLineIsTimeLevelWordLoggerAndMessageOnStandardError() throws Exception {
    List<String> lines = writtenBy(context -> {
      context.getLogger("io.hookcast.webhook").info(BatchedConsoleAppender.END_OF_BATCH, "webhook 1 POST /hook 2 B -> 200 in 3 ms [one=200 1ms]");
      context.getLogger("io.hookcast.Main").warn("transport: epoll, because io_uring unavailable");
      context.getLogger("io.hookcast.Main").error("could not start", new IllegalStateException("port taken"));
      context.getLogger("io.hookcast.Main").debug("not at INFO");
      context.getLogger("org.flywaydb.core.FlywayExecutor").info("Migrating schema");
      context.getLogger("org.flywaydb.core.FlywayExecutor").warn("a Flyway warning");
    });
    assertTrue(lines.get(0).matches(TIME + "INFO    \\[io\\.hookcast\\.webhook\\] webhook 1 POST /hook 2 B -> 200 in 3 ms \\[one=200 1ms\\]"),
      lines.get(0));
    List<String> others = lines.stream().filter(line -> line.matches(TIME + ".*")).skip(1).toList();
    assertEquals(3, others.size(), String.join("\n", lines));
    assertTrue(others.get(0).matches(TIME + "WARNING \\[io\\.hookcast\\.Main\\] transport: epoll, because io_uring unavailable"), others.get(0));
    assertTrue(others.get(1).matches(TIME + "SEVERE  \\[io\\.hookcast\\.Main\\] could not start"), others.get(1));
    assertTrue(others.get(2).matches(TIME + "WARNING \\[org\\.flywaydb\\.core\\.FlywayExecutor\\] a Flyway warning"), others.get(2));
    int trace = lines.indexOf(others.get(1)) + 1;
    assertEquals("java.lang.IllegalStateException: port taken", lines.get(trace));
    assertTrue(lines.get(trace + 1).startsWith("\tat "), lines.get(trace + 1));
  }

  @Test
  void theWebhookLogIsWrittenABatchAtATimeEndingWithTheMarkedLine() throws Exception {
    List<List<String>> seen = new ArrayList<>();
    List<String> lines = writtenBy((context, written) -> {
      Logger webhooks = context.getLogger("io.hookcast.webhook");
      webhooks.info("webhook 1");
      webhooks.info("webhook 2");
      seen.add(written.get());
      webhooks.info(BatchedConsoleAppender.END_OF_BATCH, "webhook 3");
      seen.add(written.get());
      webhooks.info("webhook 4");
    });
    assertEquals(List.of(), seen.get(0), "written before the batch ended");
    assertEquals(3, seen.get(1).size(), String.join("\n", seen.get(1)));
    assertTrue(seen.get(1).get(2).endsWith("[io.hookcast.webhook] webhook 3"), seen.get(1).get(2));
    assertTrue(lines.get(3).endsWith("[io.hookcast.webhook] webhook 4"), "written when the log stopped: " + lines);
  }

  @Test
  void theJsonLineIsOneObjectWithTimeLevelLoggerMessageAndException() {
    LoggerContext context = new LoggerContext();
    JsonLine layout = new JsonLine();
    layout.setContext(context);
    layout.start();
    Logger logger = context.getLogger("io.hookcast.Main");
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, ch.qos.logback.classic.Level.ERROR, "could not start:\n\"port\" taken",
      new IllegalStateException("port taken"), null);
    event.setTimeStamp(1_795_525_501_000L);
    String line = layout.doLayout(event);

    assertTrue(line.endsWith(System.lineSeparator()), line);
    assertEquals(1, line.lines().count(), line);
    JsonObject json = new JsonObject(line);
    assertEquals("2026-11-24T13:05:01.000Z", json.getString("time"));
    assertEquals("SEVERE", json.getString("level"));
    assertEquals("io.hookcast.Main", json.getString("logger"));
    assertEquals("could not start:\n\"port\" taken", json.getString("message"));
    assertTrue(json.getString("exception").startsWith("java.lang.IllegalStateException: port taken"), json.getString("exception"));
  }

  /** What a fresh Logback, configured by the jar's logback.xml, writes to standard error; stopping it flushes its queue. */
  private static List<String> writtenBy(Consumer<LoggerContext> logging) throws Exception {
    return writtenBy((context, written) -> logging.accept(context));
  }

  /** As above; {@code logging} is also given what has been written so far. */
  private static List<String> writtenBy(BiConsumer<LoggerContext, Supplier<List<String>>> logging) throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream err = System.err;
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogLinesTest.class.getResource("/logback.xml"));
      logging.accept(context, () -> captured.toString(StandardCharsets.UTF_8).lines().toList());
      context.stop();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
