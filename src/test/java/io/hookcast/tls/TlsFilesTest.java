package io.hookcast.tls;

import io.hookcast.config.ConfigException;
import io.hookcast.config.HookcastConfig;
import io.hookcast.testing.SelfSignedCertificate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listeners' PEM files, read in the step after parsing: a bad one stops startup naming its key. */
class TlsFilesTest {

  @TempDir
  static Path dir;
  private static SelfSignedCertificate certificate;

  @BeforeAll
  static void certificate() throws Exception {
    certificate = SelfSignedCertificate.create(dir, "tls-files");
  }

  private static JsonObject tls(Object certFile, Object keyFile) {
    return new JsonObject().put("certFile", certFile).put("keyFile", keyFile);
  }

  private static String refusal(String listener, JsonObject tls) {
    JsonObject json = new JsonObject().put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:5001/")));
    json.put(listener, new JsonObject().put("tls", tls));
    HookcastConfig config = HookcastConfig.fromJson(json, Map.of());
    return assertThrows(ConfigException.class, () -> TlsFiles.check(config)).getMessage();
  }

  @Test
  void readableFilesOfTheirKindPass() {
    JsonObject json = new JsonObject().put("backends", new JsonArray()
      .add(new JsonObject().put("name", "one").put("url", "http://127.0.0.1:5001/")))
      .put("http", new JsonObject().put("tls", tls(certificate.certFile().toString(), certificate.keyFile().toString())));
    TlsFiles.check(HookcastConfig.fromJson(json, Map.of()));
  }

  @Test
  void aMissingFileStopsStartupNamingItsKey() {
    String message = refusal("http", tls(dir.resolve("absent.pem").toString(), certificate.keyFile().toString()));
    assertTrue(message.startsWith("http.tls.certFile: "), message);
    message = refusal("admin", tls(certificate.certFile().toString(), dir.resolve("absent-key.pem").toString()));
    assertTrue(message.startsWith("admin.tls.keyFile: "), message);
  }

  @Test
  void filesThatHoldNoPemOfTheirKindStopStartupNamingTheKey() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
    String message = refusal("http", tls(certificate.certFile().toString(), certificate.certFile().toString()));
    assertTrue(message.startsWith("http.tls.keyFile: "), message);
    message = refusal("http", tls(garbage.toString(), certificate.keyFile().toString()));
    assertTrue(message.startsWith("http.tls.certFile: "), message);
  }

}
