package io.hookcast.cluster;

import io.hookcast.config.ClusterConfig;
import io.hookcast.config.ConfigException;
import io.hookcast.config.HookcastConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cluster.tls}: the keys, their environment variables, and the files they name, checked at startup. */
class EventBusTlsTest {

  private static JsonObject config(JsonObject cluster) {
    return new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:5001/")))
      .put("cluster", cluster);
  }

  private static String failure(Runnable action) {
    return assertThrows(ConfigException.class, action::run).getMessage();
  }

  @Test
  void withoutTlsKeysTheEventBusIsPlain() {
    assertNull(HookcastConfig.fromJson(config(new JsonObject()), Map.of()).cluster().tls());
  }

  @Test
  void theThreePathsComeFromTheFileOrFromTheEnvironment() {
    JsonObject file = config(new JsonObject().put("tls", new JsonObject()
      .put("keyPath", "/file/key.pem").put("certPath", "/file/cert.pem").put("trustPath", "/file/ca.pem")));

    assertEquals(new ClusterConfig.Tls("/file/key.pem", "/file/cert.pem", "/file/ca.pem"), HookcastConfig.fromJson(file, Map.of()).cluster().tls());
    assertEquals(new ClusterConfig.Tls("/env/key.pem", "/env/cert.pem", "/file/ca.pem"), HookcastConfig.fromJson(file, Map.of(
      "HOOKCAST_CLUSTER_TLS_KEY", "/env/key.pem", "HOOKCAST_CLUSTER_TLS_CERT", "/env/cert.pem")).cluster().tls());
    assertEquals(new ClusterConfig.Tls("/k", "/c", "/t"), HookcastConfig.fromJson(config(new JsonObject()), Map.of(
      "HOOKCAST_CLUSTER_TLS_KEY", "/k", "HOOKCAST_CLUSTER_TLS_CERT", "/c", "HOOKCAST_CLUSTER_TLS_TRUST", "/t")).cluster().tls());
  }

  @Test
  void halfATlsSetupOrAnUnknownKeyIsRefusedNamingTheKey() {
    assertEquals("cluster.tls.trustPath: missing", failure(() -> HookcastConfig.fromJson(config(new JsonObject().put("tls",
      new JsonObject().put("keyPath", "/k").put("certPath", "/c"))), Map.of())));
    assertEquals("cluster.tls.keyPath: missing", failure(() -> HookcastConfig.fromJson(config(new JsonObject()),
      Map.of("HOOKCAST_CLUSTER_TLS_TRUST", "/t"))));
    assertEquals("cluster.tls.password: unknown key (known keys here: certPath, keyPath, trustPath)",
      failure(() -> HookcastConfig.fromJson(config(new JsonObject().put("tls", new JsonObject().put("password", "x"))), Map.of())));
  }

  @Test
  void aMissingOrWrongFileStopsStartupNamingTheKeyAndThePath(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    Path notPem = Files.write(dir.resolve("cert.der"), new byte[] {0x30, (byte) 0x82, 0x01, (byte) 0xff});
    Path missing = dir.resolve("missing.pem");

    assertEquals("cluster.tls.keyPath: '" + missing + "' does not exist",
      failure(() -> EventBusTls.load(new ClusterConfig.Tls(missing.toString(), notPem.toString(), notPem.toString()))));
    assertEquals("cluster.tls.keyPath: '" + notPem + "' holds no PEM private key",
      failure(() -> EventBusTls.load(new ClusterConfig.Tls(notPem.toString(), notPem.toString(), notPem.toString()))));
    assertEquals("cluster.tls.certPath: '" + notPem + "' holds no PEM certificate",
      failure(() -> EventBusTls.load(new ClusterConfig.Tls(key.toString(), notPem.toString(), notPem.toString()))));
    String directory = failure(() -> EventBusTls.load(new ClusterConfig.Tls(key.toString(), dir.toString(), notPem.toString())));
    assertTrue(directory.startsWith("cluster.tls.certPath: '" + dir + "' cannot be read"), directory);
  }
}
