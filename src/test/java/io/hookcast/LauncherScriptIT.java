package io.hookcast;

import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/hookcast, the README's way to start Hookcast: the measured JVM settings, and a class-data archive from the second start on. */
class LauncherScriptIT {

  @Test
  void startsWithTheMeasuredSettingsAndFromTheSecondStartOnMapsTheClassesItRecordedOnTheFirst(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      RecordingBackend backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
      int port = HookcastProcess.freePort();
      Path config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("admin", new JsonObject().put("port", 0))
        .put("reload", new JsonObject().put("scanPeriodMs", 0))
        .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", backend.url())))
        .encode());
      // A copy of the jar, so that the archive is written beside it in the temporary directory.
      Path jar = Files.copy(HookcastProcess.JAR, dir.resolve("hookcast.jar"));
      Path archive = dir.resolve("hookcast.jsa");
      Map<String, String> environment = Map.of("HOOKCAST_JAR", jar.toString());
      HttpClient client = vertx.createHttpClient();

      List<String> firstFlags = runOnce(environment, config, client, port);
      assertTrue(firstFlags.containsAll(List.of("-Xmx512m", "-XX:+UseSerialGC")), String.valueOf(firstFlags));
      assertTrue(firstFlags.contains("-XX:ArchiveClassesAtExit=" + archive), String.valueOf(firstFlags));
      assertTrue(Files.size(archive) > 0, "no class-data archive after the first run");

      List<String> secondFlags = runOnce(environment, config, client, port);
      assertTrue(secondFlags.contains("-XX:SharedArchiveFile=" + archive), String.valueOf(secondFlags));
      assertFalse(secondFlags.stream().anyMatch(flag -> flag.startsWith("-XX:ArchiveClassesAtExit")), String.valueOf(secondFlags));
      // The JVM ignores an archive it cannot use (another JDK, another jar) without a word under -Xlog:cds=off: only
      // its mapping shows that the classes came from it.
      assertTrue(secondFlags.contains(MAPPED + archive), "the archive is not mapped: " + secondFlags);
      assertEquals(2, backend.received().size());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** What {@link #runOnce} adds to the flags for each file of the JVM's memory map. */
  private static final String MAPPED = "mapped:";

  /**
   * Starts Hookcast through the script, has it deliver one webhook, stops it with SIGTERM; returns its JVM's flags,
   * then {@link #MAPPED} and the path of each file its memory maps.
   */
  private static List<String> runOnce(Map<String, String> environment, Path config, HttpClient client, int port) throws Exception {
    try (HookcastProcess hookcast = HookcastProcess.startWithLauncherScript(environment, "-conf", config.toString())) {
      hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
      List<String> flags = new ArrayList<>(ProcessHandle.of(hookcast.pid()).flatMap(handle -> handle.info().arguments())
        .map(List::of).orElseThrow());
      try (Stream<String> maps = Files.lines(Path.of("/proc", String.valueOf(hookcast.pid()), "maps"))) {
        maps.map(line -> line.split("\\s+", 6)).filter(fields -> fields.length == 6 && fields[5].startsWith("/"))
          .map(fields -> MAPPED + fields[5]).distinct().forEach(flags::add);
      }
      int status = client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/"))
        .compose(request -> request.send(Buffer.buffer("{}")))
        .map(response -> response.statusCode())
        .await(30, TimeUnit.SECONDS);
      assertEquals(200, status, hookcast.output());
      hookcast.terminate();
      assertEquals(0, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
      return flags;
    }
  }
}
