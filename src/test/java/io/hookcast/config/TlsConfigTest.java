package io.hookcast.config;

import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsConfigTest {

  @TempDir
  static Path dir;
  private static SelfSignedCertificate certificate;

  @BeforeAll
  static void certificate() throws Exception {
    certificate = SelfSignedCertificate.create(dir, "tls-config");
  }

  private static HookcastConfig parse(String listener, JsonObject tls) {
    JsonObject json = new JsonObject().put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:5001/")));
    json.put(listener, new JsonObject().put("tls", tls));
    return HookcastConfig.fromJson(json, Map.of());
  }

  private static JsonObject tls(Object certFile, Object keyFile) {
    return new JsonObject().put("certFile", certFile).put("keyFile", keyFile);
  }

  private static String refusal(String listener, JsonObject tls) {
    return assertThrows(ConfigException.class, () -> parse(listener, tls)).getMessage();
  }

  @Test
  void bothListenersTakeTheirPemFilesWithAReloadCheckPeriod() {
    String cert = certificate.certFile().toString();
    String key = certificate.keyFile().toString();
    assertEquals(new TlsConfig(cert, key, 60_000), parse("http", tls(cert, key)).http().tls());
    assertEquals(new TlsConfig(cert, key, 500), parse("admin", tls(cert, key).put("reloadCheckMs", 500)).admin().tls());
    assertNull(parse("admin", tls(cert, key)).http().tls());
  }

  @Test
  void aTlsBlockWithoutItsFilesOrWithUnknownKeysIsRefused() {
    assertTrue(refusal("http", new JsonObject().put("keyFile", "k")).startsWith("http.tls.certFile: "));
    assertTrue(refusal("http", tls(certificate.certFile().toString(), certificate.keyFile().toString()).put("ciphers", "x"))
      .startsWith("http.tls"));
    assertTrue(refusal("http", tls(certificate.certFile().toString(), certificate.keyFile().toString()).put("reloadCheckMs", 1))
      .startsWith("http.tls.reloadCheckMs"));
  }
}
