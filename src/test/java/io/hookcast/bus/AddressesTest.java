package io.hookcast.bus;

import io.hookcast.config.BackendConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.secrets.Secrets;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Where a backend's forwarders take hand-offs: the same for the same settings, another for any change. */
class AddressesTest {

  /**
   * A reload starts new forwarders for a changed backend; on the old address the old ones, signing with the old
   * secret, would go on taking hand-offs until they retire. A secret's value is not in the backend's text, so it is
   * hashed apart.
   */
  @Test
  void aSigningSecretRotatedInItsFileGivesTheBackendANewAddressAndTheSameSecretTheSameOne(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("sign.secret"), "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    String before = Addresses.forwarders(signedBackend(file));
    String again = Addresses.forwarders(signedBackend(file));
    Files.writeString(file, "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD");
    String rotated = Addresses.forwarders(signedBackend(file));

    assertEquals(before, again);
    assertNotEquals(before, rotated);
  }

  /**
   * A node refuses frames of another wire version unread, unable to answer them: in a rolling upgrade, hand-offs
   * between versions ended in a 504 at the backend's timeout for webhooks no backend received.
   */
  @Test
  void nodesOfAnotherWireVersionTakeHandoffsAtAnotherAddress() {
    BackendConfig backend = HookcastConfig.fromJson(new JsonObject().put("backends", new JsonArray().add(new JsonObject()
      .put("name", "a").put("url", "http://127.0.0.1:9/"))), Map.of()).backends().get(0);
    assertEquals("hookcast.deliver.v" + Wire.VERSION + ".a." + Addresses.generation(backend), Addresses.forwarders(backend));
  }

  private static BackendConfig signedBackend(Path secretFile) {
    JsonObject json = new JsonObject().put("backends", new JsonArray().add(new JsonObject().put("name", "a")
      .put("url", "http://127.0.0.1:9/").put("sign", new JsonObject().put("secretFile", secretFile.toString()))));
    return Secrets.load(HookcastConfig.fromJson(json, Map.of()), Map.of()).backends().get(0);
  }
}
