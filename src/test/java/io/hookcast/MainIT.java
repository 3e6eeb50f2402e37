package io.hookcast;

import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fat jar as users run it: {@code java -jar target/hookcast.jar -conf FILE}. */
class MainIT {

  @Test
  void startsWithDemoBackendsAndAnswersTheOriginalCasesAsTheReadmeShows(@TempDir Path dir) throws Exception {
    answersTheOriginalCases(dir, HookcastProcess::start, 0);
  }

  @Test
  void theStockVertxLauncherRunsTheSameNode(@TempDir Path dir) throws Exception {
    // Its SIGTERM is the JVM's: no drain, and the status of a JVM ended by the signal (README, SIGTERM).
    answersTheOriginalCases(dir, HookcastProcess::startWithStockLauncher, 128 + 15);
  }

  private static void answersTheOriginalCases(Path dir, Function<String[], HookcastProcess> launcher, int exitOnSigterm)
    throws Exception {
    int port = HookcastProcess.freePort();
    int one = HookcastProcess.freePort();
    int two = HookcastProcess.freePort();
    JsonObject config = new JsonObject(Files.readString(Path.of("conf", "hookcast.json")));
    config.getJsonObject("http").put("host", "127.0.0.1").put("port", port);
    config.put("admin", new JsonObject().put("port", 0));
    // The shipped store.path is relative ("data"): in the test's directory, not in the checkout the suite runs in.
    config.put("store", new JsonObject().put("path", dir.resolve("data").toString()));
    config.put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:" + one + "/"))
      .add(new JsonObject().put("name", "two").put("url", "http://127.0.0.1:" + two + "/")));
    config.getJsonObject("demo").put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("port", one))
      .add(new JsonObject().put("name", "two").put("port", two)));
    Path file = Files.writeString(dir.resolve("hookcast.json"), config.encodePrettily());

    Vertx vertx = Vertx.vertx();
    try (HookcastProcess hookcast = launcher.apply(new String[] {"-conf", file.toString()})) {
      hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
      WebClient client = WebClient.create(vertx);
      for (Object[] example : OriginalCasesTest.originalCases().map(Arguments::get).toList()) {
        HttpResponse<Buffer> answer = client.post(port, "127.0.0.1", "/").sendBuffer(Buffer.buffer((String) example[0]))
          .await(10, TimeUnit.SECONDS);
        String what = "answer to " + abbreviated((String) example[0]) + ": " + answer.bodyAsString();
        assertEquals(example[1], answer.statusCode(), what);
        assertEquals(example[2], answer.bodyAsJsonObject().getJsonObject("one").getString("body"), what);
        assertEquals(example[3], answer.bodyAsJsonObject().getJsonObject("two").getString("body"), what);
        hookcast.awaitLine("webhook " + answer.getHeader("X-Request-Id"), 10, TimeUnit.SECONDS);
      }

      hookcast.terminate();
      assertEquals(exitOnSigterm, hookcast.awaitExit(30, TimeUnit.SECONDS), hookcast.output());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static String abbreviated(String body) {
    return body.length() <= 40 ? body : body.substring(0, 40) + "… (" + body.length() + " chars)";
  }

  @Test
  void aCleanStartNamesTheTransportItsEventLoopsTheConfigurationAndEveryListenerAndWarnsOfNothing(@TempDir Path dir) throws Exception {
    int port = HookcastProcess.freePort();
    int adminPort = HookcastProcess.freePort();
    int demoPort = HookcastProcess.freePort();
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", adminPort))
      .put("store", new JsonObject().put("path", dir.resolve("store").toString()))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:" + demoPort + "/")))
      .put("routes", new JsonArray()
        .add(new JsonObject().put("path", "/later").put("backends", new JsonArray().add("one")).put("mode", "async"))
        .add(new JsonObject().put("path", "/").put("backends", new JsonArray().add("one"))))
      .put("demo", new JsonObject().put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("port", demoPort))))
      .encode());
    Vertx vertx = Vertx.vertx();
    try (HookcastProcess hookcast = HookcastProcess.start("-conf", file.toString())) {
      String admin = "http://127.0.0.1:" + adminPort + "/";
      String listeners = "dashboard: " + admin + "; operator API: " + admin + "api/openapi.json; health: " + admin + "health, " + admin
        + "ready; metrics: " + admin + "metrics";
      hookcast.awaitLine(listeners, 60, TimeUnit.SECONDS);
      String demo = "demo backends: one http://127.0.0.1:" + demoPort + "/";
      hookcast.awaitLine(demo, 10, TimeUnit.SECONDS);
      String output = hookcast.output();
      assertTrue(output.contains("transport: "), output);
      assertTrue(output.contains(", " + VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE / 2 + " event loops"), output);
      assertTrue(output.contains("configuration: " + file.toAbsolutePath()), output);
      assertTrue(output.contains("webhooks: http://127.0.0.1:" + port + "/ (/later async, / sync)"), output);
      assertTrue(output.contains("async delivery store: embedded store in " + dir.resolve("store")), output);
      assertFalse(output.contains("WARNING") || output.contains("SEVERE"), output);
      // Every URL the start names leads somewhere a newcomer can read.
      WebClient client = WebClient.create(vertx);
      Matcher urls = Pattern.compile("http://[^ ;,]+").matcher(listeners + " " + demo);
      int followed = 0;
      while (urls.find()) {
        HttpResponse<Buffer> page = client.getAbs(urls.group()).send().await(10, TimeUnit.SECONDS);
        assertEquals(200, page.statusCode(), urls.group() + " answered " + page.statusCode() + " " + page.bodyAsString());
        followed++;
      }
      assertEquals(6, followed, listeners + " " + demo);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void helpNamesHookcastsOptionsWithoutReadingAConfiguration(@TempDir Path dir) throws Exception {
    try (HookcastProcess hookcast = HookcastProcess.start("--help", "-conf", dir.resolve("absent.json").toString())) {
      assertEquals(0, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
      String output = hookcast.output();
      assertTrue(output.startsWith("Usage: bin/hookcast [-conf FILE] [-cluster] [-instances N]"), output);
      assertTrue(output.contains("-conf FILE          the configuration, JSON (default: conf/hookcast.json)"), output);
      assertTrue(output.contains("Exit status: 0 after SIGTERM's drain; 2 for a configuration refused at startup; 15 when"),
        output);
      assertFalse(output.contains("invalid configuration") || output.contains("mainVerticle"), output);
    }
  }

  @Test
  void anInstanceCountBelowOneStopsStartupInOneLine() throws Exception {
    assertRefusedInOneLine(HookcastProcess.start("-instances", "0"), "-instances: '0' is not a whole number of 1 or more");
  }

  @Test
  void aListenerWhoseAddressIsTakenStopsStartupSayingWhichAndItsKeys(@TempDir Path dir) throws Exception {
    int port = HookcastProcess.freePort();
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/")))
      .encode());
    try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertStartFailsInOneLine(HookcastProcess.start("-conf", file.toString()),
        "hookcast: could not start: the ingress (http.host, http.port) could not listen on 127.0.0.1:" + port + ": ");
    }
  }

  @Test
  void aStoreDirectoryAnotherProcessHoldsStopsStartupInOneLineForASupervisorToStartItAgain(@TempDir Path dir) throws Exception {
    Path store = Files.createDirectories(dir.resolve("data"));
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("admin", new JsonObject().put("port", 0))
      .put("store", new JsonObject().put("path", store.toString()))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/")))
      .put("routes", new JsonArray().add(new JsonObject().put("path", "/").put("mode", "async").put("backends", new JsonArray().add("one"))))
      .encode());
    // As a node still draining after SIGTERM holds it while its replacement starts.
    try (FileChannel held = FileChannel.open(store.resolve("hookcast.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
         FileLock lock = held.lock()) {
      assertStartFailsInOneLine(HookcastProcess.start("-conf", file.toString()),
        "hookcast: could not start: store.path '" + store + "': is in use by another Hookcast process");
    }
  }

  /** Exit 15, one line beginning with {@code expected} and no stack trace: a start that a supervisor should retry. */
  private static void assertStartFailsInOneLine(HookcastProcess process, String expected) throws Exception {
    try (HookcastProcess hookcast = process) {
      assertEquals(15, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
      List<String> lines = hookcast.output().lines().filter(line -> !line.isBlank()).toList();
      assertEquals(1, lines.size(), hookcast.output());
      assertTrue(lines.get(0).startsWith(expected), hookcast.output());
    }
  }

  @Test
  void withLogFormatJsonEveryLineIsOneJsonObjectWithTimeLevelLoggerAndMessage(@TempDir Path dir) throws Exception {
    int port = HookcastProcess.freePort();
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("log", new JsonObject().put("format", "json"))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/")))
      .encode());
    Vertx vertx = Vertx.vertx();
    // A warning written while the configuration is read comes out as JSON too, once.
    try (HookcastProcess hookcast = HookcastProcess.start(Map.of("HOOKCAST_HTTPPORT", "9000"), "-conf", file.toString())) {
      hookcast.awaitLine("dashboard: ", 60, TimeUnit.SECONDS);
      HttpResponse<Buffer> answer = WebClient.create(vertx).post(port, "127.0.0.1", "/").sendBuffer(Buffer.buffer("{}"))
        .await(10, TimeUnit.SECONDS);
      hookcast.awaitLine("webhook " + answer.getHeader("X-Request-Id"), 10, TimeUnit.SECONDS);
      hookcast.terminate();
      assertEquals(0, hookcast.awaitExit(30, TimeUnit.SECONDS), hookcast.output());

      List<JsonObject> lines = hookcast.output().lines().map(JsonObject::new).toList();
      for (JsonObject line : lines) {
        assertTrue(line.getString("time").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line.encode());
        assertTrue(List.of("FINEST", "FINE", "INFO", "WARNING", "SEVERE").contains(line.getString("level")), line.encode());
        assertFalse(line.getString("logger").isEmpty(), line.encode());
        assertFalse(line.getString("message").isEmpty(), line.encode());
      }
      assertTrue(lines.stream().anyMatch(line -> line.getString("logger").equals("io.hookcast.webhook")
        && line.getString("message").startsWith("webhook " + answer.getHeader("X-Request-Id"))), hookcast.output());
      assertTrue(lines.stream().anyMatch(line -> line.getString("logger").equals("io.hookcast.Main")
        && line.getString("message").startsWith("SIGTERM: ")), hookcast.output());
      assertEquals(1, lines.stream().filter(line -> line.getString("level").equals("WARNING")
        && line.getString("message").startsWith("HOOKCAST_HTTPPORT sets no key and is ignored")).count(), hookcast.output());
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLogbackConfigurationOfTheUsersOwnWinsOverTheShippedOneAndOverLogFormat(@TempDir Path dir) throws Exception {
    Path logback = Files.writeString(dir.resolve("logback.xml"), """
      <configuration>
        <appender name="mine" class="ch.qos.logback.core.ConsoleAppender">
          <encoder><pattern>mine %level %logger %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="mine"/></root>
      </configuration>
      """);
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("log", new JsonObject().put("format", "json"))
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("admin", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/")))
      .encode());
    // The java launcher adds JDK_JAVA_OPTIONS to its command line.
    try (HookcastProcess hookcast = HookcastProcess.start(Map.of("JDK_JAVA_OPTIONS", "-Dlogback.configurationFile=" + logback),
      "-conf", file.toString())) {
      hookcast.awaitLine("mine INFO io.hookcast.Main dashboard: ", 60, TimeUnit.SECONDS);
      assertFalse(hookcast.output().contains("{\"time\""), hookcast.output());
    }
  }

  static Stream<Arguments> badConfigs() {
    return Stream.of(
      Arguments.of(null, "config file '%s': no such file"),
      Arguments.of("{\"backends\": [", "config file '%s': not a valid JSON object"),
      Arguments.of("{\"backends\": []}", "backends: the list is empty"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}, {\"name\": \"a\", \"url\": \"http://y/\"}]}", "backends[1].name: duplicate backend name 'a'"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"ftp://x/\"}]}", "backends[0].url: 'ftp://x/' is not an http:// or https:// URL"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"timeoutMs\": -1}]}", "backends[0].timeoutMs: -1 is out of range 1..600000"),
      Arguments.of("{\"http\": {\"port\": 65536}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "http.port: 65536 is out of range 0..65535"),
      // The process runs with -Xmx256m: half of it is less than the body limit.
      Arguments.of("{\"http\": {\"maxBodyBytes\": 209715200}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "http.maxBufferedBytes: 134217728 (half the heap, its default) is less than http.maxBodyBytes (209715200): a body between the"
          + " two would be refused as often as it is sent; raise it or the heap (-Xmx), or lower http.maxBodyBytes"),
      Arguments.of("{\"admin\": {\"host\": \"0.0.0.0\"}, \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}",
        "admin.token (or HOOKCAST_ADMIN_TOKEN) is required when admin.host (0.0.0.0) is not loopback"),
      // Read in the step after parsing (tls.TlsFiles), still before anything starts.
      Arguments.of("{\"http\": {\"tls\": {\"certFile\": \"/nonexistent/cert.pem\", \"keyFile\": \"/nonexistent/key.pem\"}},"
        + " \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}", "http.tls.keyFile: '/nonexistent/key.pem' does not exist"),
      Arguments.of("{\"backends\": [{\"name\": \"a\", \"url\": \"http://x/\", \"timeoutMS\": 5000}]}",
        "backends[0].timeoutMS: unknown key (known keys here: async, circuitBreaker, maxConnections, maxInFlight, maxQueued, name,"
          + " rate, retry, sign, timeoutMs, url)"));
  }

  /** One of each way a number can be wrong, as JSON text: too large for any type, too large for an int, a string, a fraction. */
  static Stream<Arguments> outOfRangeNumbers() {
    return Stream.of(
      Arguments.of("{\"delivery\": {\"timeoutMs\": 1e19}", "delivery.timeoutMs: 1e19 is out of range 1..600000"),
      Arguments.of("{\"delivery\": {\"maxQueued\": 9999999999}", "delivery.maxQueued: 9999999999 is out of range 0..1000000"),
      Arguments.of("{\"http\": {\"requestTimeoutMs\": \"5\"}", "http.requestTimeoutMs: expected a whole number in 1..3600000, got the string \"5\""),
      Arguments.of("{\"delivery\": {\"retry\": {\"maxAttempts\": 1.5}}", "delivery.retry.maxAttempts: 1.5 is not a whole number; expected one in 1..100"),
      Arguments.of("{\"http\": {\"maxBodyBytes\": 18446744073709551617}", "http.maxBodyBytes: 18446744073709551617 is out of range 1..2147483639"));
  }

  @Test
  void anEventLoopCountSetByItsSystemPropertyIsTheOneTheStartLineNames(@TempDir Path dir) throws Exception {
    try (HookcastProcess hookcast = startWithJvmOptions(dir, "-Dvertx.options.eventLoopPoolSize=3")) {
      hookcast.awaitLine("dashboard: ", 60, TimeUnit.SECONDS);
      assertTrue(hookcast.output().contains(", 3 event loops"), hookcast.output());
    }
  }

  @Test
  void nettyToldToKeepRequestsOfAmbiguousLengthStopsStartupInOneLineWithExit2(@TempDir Path dir) throws Exception {
    try (HookcastProcess hookcast = startWithJvmOptions(dir, "-Dio.netty.handler.codec.http.rfc9112TransferEncoding=false")) {
      assertEquals(2, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
      // The JVM's own note of the options it picked up aside.
      assertEquals(List.of("hookcast: invalid configuration: -Dio.netty.handler.codec.http.rfc9112TransferEncoding=false:"
        + " the ingress needs Netty to refuse requests of ambiguous length; remove the setting"),
        hookcast.output().lines().filter(line -> !line.startsWith("NOTE: Picked up")).toList());
    }
  }

  /** bin/hookcast with {@code jvmOption} beside a small heap, on a node with one backend. */
  private static HookcastProcess startWithJvmOptions(Path dir, String jvmOption) throws Exception {
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", HookcastProcess.freePort()))
      .put("admin", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/")))
      .encode());
    return HookcastProcess.startWithLauncherScript(Map.of("HOOKCAST_CDS", "off", "HOOKCAST_JVM_OPTS", "-Xmx256m " + jvmOption),
      "-conf", file.toString());
  }

  /** Found only as the listener loads its files, after parsing: still a configuration to fix, not a start to retry. */
  @Test
  void aTlsKeyThatIsNotItsCertificatesStopsStartupInOneLineWithExit2(@TempDir Path dir) throws Exception {
    SelfSignedCertificate served = SelfSignedCertificate.create(dir, "served");
    SelfSignedCertificate other = SelfSignedCertificate.create(dir, "other");
    Path file = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", HookcastProcess.freePort()).put("tls", new JsonObject()
        .put("certFile", served.certFile().toString()).put("keyFile", other.keyFile().toString())))
      .put("admin", new JsonObject().put("port", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:9/")))
      .encode());
    assertRefusedInOneLine(HookcastProcess.start("-conf", file.toString()), "http.tls.keyFile: '" + other.keyFile()
      + "' is not the private key of the certificate in '" + served.certFile() + "'");
  }

  @ParameterizedTest(name = "java -jar: {1}")
  @MethodSource("outOfRangeNumbers")
  void refusesAnOutOfRangeNumberInOneLineWithExit2(String section, String expected, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hookcast.json"), section + ", \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}");
    assertRefusedInOneLine(HookcastProcess.start("-conf", file.toString()), expected);
  }

  @ParameterizedTest(name = "stock launcher: {1}")
  @MethodSource("outOfRangeNumbers")
  void theStockVertxLauncherRefusesAnOutOfRangeNumberTheSameWay(String section, String expected, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hookcast.json"), section + ", \"backends\": [{\"name\": \"a\", \"url\": \"http://x/\"}]}");
    // Two instances find the same fault; still one line.
    assertRefusedInOneLine(HookcastProcess.startWithStockLauncher("-instances", "2", "-conf", file.toString()), expected);
  }

  @Test
  void theStockVertxLauncherWithAnUnreadableConfFileSaysThereIsNoConfiguration(@TempDir Path dir) throws Exception {
    try (HookcastProcess hookcast = HookcastProcess.startWithStockLauncher("-conf", dir.resolve("nope.json").toString())) {
      assertEquals(2, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
      // The launcher's own warning comes first; ours names the cause.
      assertTrue(hookcast.output().contains("hookcast: invalid configuration: no configuration: -conf must name a readable JSON file"),
        hookcast.output());
      assertFalse(hookcast.output().contains("\tat "), "a stack trace:\n" + hookcast.output());
    }
  }

  @ParameterizedTest(name = "stock launcher: {0}")
  @ValueSource(booleans = {false, true})
  void aFileSetByAVariableThatCannotBeReadIsRefusedNamingTheVariable(boolean stockLauncher, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hookcast.json"),
      "{\"admin\": {\"port\": 0}, \"backends\": [{\"name\": \"a\", \"url\": \"http://127.0.0.1:9/\"}]}");
    Path absent = dir.resolve("absent.pem");
    Map<String, String> environment = Map.of("HOOKCAST_HTTP_TLS_CERT_FILE", absent.toString(), "HOOKCAST_HTTP_TLS_KEY_FILE", absent.toString());
    try (HookcastProcess hookcast = stockLauncher ? HookcastProcess.startWithStockLauncher(environment, "-conf", file.toString())
      : HookcastProcess.start(environment, "-conf", file.toString())) {
      assertEquals(2, hookcast.awaitExit(60, TimeUnit.SECONDS), hookcast.output());
      assertTrue(hookcast.output().contains("hookcast: invalid configuration: http.tls.keyFile: '" + absent
        + "' does not exist (set by HOOKCAST_HTTP_TLS_KEY_FILE)"), hookcast.output());
    }
  }

  private static void assertRefusedInOneLine(HookcastProcess process, String expected) throws Exception {
    try (HookcastProcess hookcast = process) {
      int exit = hookcast.awaitExit(60, TimeUnit.SECONDS);
      assertEquals(2, exit, hookcast.output());
      assertEquals(List.of("hookcast: invalid configuration: " + expected), hookcast.output().lines().toList());
    }
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badConfigs")
  void refusesToStartWithABadConfigAndSaysWhy(String content, String expected, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("hookcast.json");
    if (content != null) {
      Files.writeString(file, content);
    }
    try (HookcastProcess hookcast = HookcastProcess.start("-conf", file.toString())) {
      int exit = hookcast.awaitExit(60, TimeUnit.SECONDS);
      assertEquals(2, exit, hookcast.output());
      String firstLine = hookcast.output().lines().findFirst().orElse("");
      assertTrue(firstLine.startsWith("hookcast: invalid configuration: " + expected.formatted(file)), hookcast.output());
    }
  }
}
