package io.hookcast;

import io.hookcast.testing.HookcastProcess;
import io.hookcast.testing.RecordingBackend;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network transport a node picks (io_uring, else epoll, else NIO), as the jar does it: the start-up line names
 * it, HOOKCAST_TRANSPORT forces one, and a kernel that refuses io_uring gets the fallback with its reason.
 */
class TransportIT {

  /** Empty, as if unset, whatever the environment of the test run says. */
  private static final Map<String, String> NOT_FORCED = Map.of("HOOKCAST_TRANSPORT", "");
  private static final Path WITHOUT_IO_URING = Path.of("src", "test", "resources", "without-io_uring.py");

  private Vertx vertx;
  private RecordingBackend backend;
  private int port;
  private Path config;

  @BeforeEach
  void backendAndConfig(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    backend = RecordingBackend.answering(vertx, 200, "ok").await(5, TimeUnit.SECONDS);
    port = HookcastProcess.freePort();
    config = Files.writeString(dir.resolve("hookcast.json"), new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
      .put("admin", new JsonObject().put("port", 0))
      .put("reload", new JsonObject().put("scanPeriodMs", 0))
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", backend.url())))
      .encode());
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void byDefaultUsesIoUringWhereTheKernelAllowsItElseEpollSayingWhy() throws Exception {
    // This JVM has the same native jars as the node, so it sees what the node's kernel allows.
    try (HookcastProcess hookcast = HookcastProcess.start(NOT_FORCED, "-conf", config.toString())) {
      if (Transport.IO_URING.available()) {
        assertStartsAndDelivers(hookcast, "io_uring");
        assertFalse(hookcast.output().contains("because"), hookcast.output());
      } else {
        assertStartsAndDelivers(hookcast, "epoll");
        assertTrue(hookcast.output().contains("transport: epoll, because io_uring unavailable"), hookcast.output());
      }
    }
  }

  @Test
  void hookcastTransportForcesEpoll() throws Exception {
    try (HookcastProcess hookcast = HookcastProcess.start(Map.of("HOOKCAST_TRANSPORT", "epoll"), "-conf", config.toString())) {
      assertStartsAndDelivers(hookcast, "epoll");
    }
  }

  @Test
  void hookcastTransportForcesNio() throws Exception {
    try (HookcastProcess hookcast = HookcastProcess.start(Map.of("HOOKCAST_TRANSPORT", "NIO"), "-conf", config.toString())) {
      assertStartsAndDelivers(hookcast, "nio");
    }
  }

  @Test
  void anUnknownTransportStopsStartUpNamingTheVariable() throws Exception {
    try (HookcastProcess hookcast = HookcastProcess.start(Map.of("HOOKCAST_TRANSPORT", "uring"), "-conf", config.toString())) {
      assertEquals(2, hookcast.awaitExit(30, TimeUnit.SECONDS), hookcast.output());
      assertTrue(hookcast.output().contains("invalid configuration: HOOKCAST_TRANSPORT: unknown transport \"uring\""), hookcast.output());
    }
  }

  @Test
  void aKernelThatRefusesIoUringGetsEpollWithOneLineSayingWhy() throws Exception {
    assertTrue(Files.isRegularFile(Path.of("/usr/bin/python3")), "needs Debian's python3 with python3-seccomp (scripts/test installs it)");
    try (HookcastProcess hookcast = HookcastProcess.startUnder(List.of("/usr/bin/python3", WITHOUT_IO_URING.toString()), NOT_FORCED,
      "-conf", config.toString())) {
      assertStartsAndDelivers(hookcast, "epoll");
      String output = hookcast.output();
      assertTrue(output.contains("transport: epoll, because io_uring unavailable: "), output);
      assertEquals(1, output.lines().filter(line -> line.contains("because io_uring unavailable")).count(), output);
    }
  }

  private void assertStartsAndDelivers(HookcastProcess hookcast, String transport) throws Exception {
    hookcast.awaitLine("transport: " + transport, 60, TimeUnit.SECONDS);
    hookcast.awaitLine("Succeeded in deploying verticle", 60, TimeUnit.SECONDS);
    int status = vertx.createHttpClient()
      .request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port).setURI("/"))
      .compose(request -> request.send(Buffer.buffer("{}")))
      .map(response -> response.statusCode())
      .await(30, TimeUnit.SECONDS);
    assertEquals(200, status, hookcast.output());
    assertEquals(1, backend.received().size(), hookcast.output());
  }
}
