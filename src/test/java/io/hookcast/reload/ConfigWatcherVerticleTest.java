package io.hookcast.reload;

import io.hookcast.bus.Addresses;
import io.hookcast.bus.Codecs;
import io.hookcast.config.HookcastConfig;
import io.hookcast.testing.Configs;
import io.hookcast.testing.LogCapture;
import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live reload of a file whose numbers are out of range or that repeats a key: refused in one log line, the running
 * configuration stays.
 */
@ExtendWith(VertxExtension.class)
class ConfigWatcherVerticleTest {

  private LogCapture log;

  @BeforeEach
  void captureTheWatchersLog() {
    log = LogCapture.of(ConfigWatcherVerticle.class);
  }

  @AfterEach
  void releaseTheWatchersLog() {
    log.close();
  }

  @Test
  void aReloadWithAnOutOfRangeNumberIsRefusedInOneLineAndTheRunningConfigurationStays(Vertx vertx, @TempDir Path dir,
                                                                                     VertxTestContext context) throws Exception {
    JsonObject initial = Configs.withBackends(Configs.backend("a", "http://127.0.0.1:1/"));
    HookcastConfig running = HookcastConfig.fromJson(initial);
    Codecs.register(vertx, running.nodeName(), running.http().maxBodyBytes());
    Path file = Files.writeString(dir.resolve("hookcast.json"), initial.encode());
    ConcurrentLinkedQueue<HookcastConfig> published = new ConcurrentLinkedQueue<>();
    vertx.eventBus().<HookcastConfig>localConsumer(Addresses.CONFIG_CHANGED, message -> published.add(message.body()));
    ConfigWatcherVerticle.deploy(vertx, file.toString(), HookcastConfig.fromJson(initial)).await(5, TimeUnit.SECONDS);

    List<String> refusals = List.of(
      "\"delivery\": {\"timeoutMs\": 1e19}", "delivery.timeoutMs: 1e19 is out of range 1..600000",
      "\"delivery\": {\"maxQueued\": 9999999999}", "delivery.maxQueued: 9999999999 is out of range 0..1000000",
      "\"delivery\": {\"retry\": {\"maxAttempts\": 1.5}}", "delivery.retry.maxAttempts: 1.5 is not a whole number",
      "\"delivery\": {\"circuitBreaker\": {\"resetTimeoutMs\": \"5\"}}", "delivery.circuitBreaker.resetTimeoutMs: expected a whole number");
    for (int i = 0; i < refusals.size(); i += 2) {
      JsonObject bad = initial.copy().mergeIn(new JsonObject("{" + refusals.get(i) + "}"));
      Files.writeString(file, bad.encode());
      String expected = refusals.get(i + 1);
      String line = awaitLogged(vertx, expected);
      assertTrue(line.startsWith("config file '" + file + "' changed but is invalid: " + expected), line);
      assertTrue(line.endsWith("; keeping the running configuration"), line);
      assertFalse(line.contains("\n"), line);
    }
    // A key written twice is refused as at startup; the file that keeps only the second of the two reads as the same
    // JSON, and is still a change, applied.
    String corrected = initial.copy().put("delivery", new JsonObject().put("timeoutMs", 4_000)).encode();
    Files.writeString(file, corrected.replace("\"timeoutMs\":4000", "\"timeoutMs\":3000,\"timeoutMs\":4000"));
    String line = awaitLogged(vertx, "delivery.timeoutMs is written twice");
    assertTrue(line.startsWith("config file '" + file + "' changed but is invalid: delivery.timeoutMs is written twice"), line);
    assertTrue(published.isEmpty(), "an invalid file was applied: " + published);

    Files.writeString(file, "// a comment, as Vert.x reads JSON\n" + corrected);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (published.isEmpty() && System.nanoTime() < deadline) {
      vertx.timer(20).await(5, TimeUnit.SECONDS);
    }
    context.verify(() -> {
      assertEquals(1, published.size(), "the valid file after the refused ones was not applied once");
      assertEquals(4_000, published.peek().backends().get(0).timeoutMs());
      context.completeNow();
    });
  }

  /** A file removed (a volume unmounted, a wrong path after a deploy) is said once, not at every scan. */
  @Test
  void aFileThatCannotBeReadIsLoggedOnceNotAtEveryScan(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject initial = Configs.withBackends(Configs.backend("a", "http://127.0.0.1:1/"))
      .put("reload", new JsonObject().put("scanPeriodMs", 50));
    HookcastConfig running = HookcastConfig.fromJson(initial);
    Codecs.register(vertx, running.nodeName(), running.http().maxBodyBytes());
    Path file = Files.writeString(dir.resolve("hookcast.json"), initial.encode());
    ConfigWatcherVerticle.deploy(vertx, file.toString(), running).await(5, TimeUnit.SECONDS);
    Files.delete(file);
    awaitLogged(vertx, "could not be read");
    // Twenty scans more.
    vertx.timer(1_000).await(5, TimeUnit.SECONDS);
    List<String> said = log.lines().stream().filter(line -> line.contains("could not be read")).toList();
    assertEquals(1, said.size(), said.toString());
    assertTrue(said.get(0).startsWith("config file '" + file + "' could not be read ("), said.get(0));
  }

  /**
   * A reload changes no listener's TLS (a restart does), so it is not held to certificate files it leaves as they
   * were: moved away after the start, or caught half-written by a renewal, they refused every reload, and a secret
   * rotated meanwhile stayed the old one.
   */
  @Test
  void aReloadThatLeavesTheTlsSettingsAsTheyWereIsAppliedWhileTheirFilesAreUnreadable(Vertx vertx, @TempDir Path dir)
    throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "listener");
    JsonObject initial = Configs.withBackends(Configs.backend("a", "http://127.0.0.1:1/"));
    initial.getJsonObject("http").put("tls", new JsonObject().put("certFile", certificate.certFile().toString())
      .put("keyFile", certificate.keyFile().toString()));
    HookcastConfig running = HookcastConfig.fromJson(initial);
    Codecs.register(vertx, running.nodeName(), running.http().maxBodyBytes());
    ConcurrentLinkedQueue<HookcastConfig> published = new ConcurrentLinkedQueue<>();
    vertx.eventBus().<HookcastConfig>localConsumer(Addresses.CONFIG_CHANGED, message -> published.add(message.body()));
    Files.delete(certificate.certFile());
    Path file = Files.writeString(dir.resolve("hookcast.json"),
      initial.copy().put("delivery", new JsonObject().put("timeoutMs", 4_000)).encode());

    ConfigWatcherVerticle.deploy(vertx, file.toString(), running).await(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (published.isEmpty() && System.nanoTime() < deadline) {
      vertx.timer(20).await(5, TimeUnit.SECONDS);
    }
    assertEquals(1, published.size(), "refused: " + log.lines());
  }

  /**
   * The node runs what was read at its start, seconds before the watcher starts (cluster join, migrations, warm-up):
   * a change written in between is applied, not taken for the starting point, while an unchanged file changes nothing.
   */
  @Test
  void aChangeWrittenWhileTheNodeStartedIsAppliedAndAnUnchangedFileIsNot(Vertx vertx, @TempDir Path dir) throws Exception {
    JsonObject initial = Configs.withBackends(Configs.backend("a", "http://127.0.0.1:1/"));
    HookcastConfig running = HookcastConfig.fromJson(initial);
    Codecs.register(vertx, running.nodeName(), running.http().maxBodyBytes());
    ConcurrentLinkedQueue<HookcastConfig> published = new ConcurrentLinkedQueue<>();
    vertx.eventBus().<HookcastConfig>localConsumer(Addresses.CONFIG_CHANGED, message -> published.add(message.body()));
    Path unchanged = Files.writeString(dir.resolve("unchanged.json"), initial.encode());
    Path changed = Files.writeString(dir.resolve("changed.json"),
      initial.copy().put("delivery", new JsonObject().put("timeoutMs", 4_000)).encode());

    ConfigWatcherVerticle.deploy(vertx, unchanged.toString(), running).await(5, TimeUnit.SECONDS);
    ConfigWatcherVerticle.deploy(vertx, changed.toString(), running).await(5, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (published.isEmpty() && System.nanoTime() < deadline) {
      vertx.timer(20).await(5, TimeUnit.SECONDS);
    }
    vertx.timer(300).await(5, TimeUnit.SECONDS);

    assertEquals(1, published.size(), "published: " + published);
    assertEquals(4_000, published.peek().backends().get(0).timeoutMs());
  }

  private String awaitLogged(Vertx vertx, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (String line : log.lines()) {
        if (line.contains(text)) {
          return line;
        }
      }
      vertx.timer(20).await(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("no log line with '" + text + "'; logged: " + log.lines());
  }
}
