package io.hookcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFileTest {

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");
    ConfigException error = assertThrows(ConfigException.class, () -> ConfigFile.read(missing.toString()));
    assertEquals("config file '" + missing + "': no such file", error.getMessage());
  }

  @Test
  void aFileThatIsNotJsonIsNamed(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"backends\": [");
    ConfigException error = assertThrows(ConfigException.class, () -> ConfigFile.read(broken.toString()));
    assertTrue(error.getMessage().startsWith("config file '" + broken + "': not a valid JSON object"), error.getMessage());
  }

  @Test
  void inlineJsonIsAccepted() {
    assertEquals("b", ConfigFile.read("{\"a\": \"b\"}").getString("a"));
  }

  @Test
  void aKeyWrittenTwiceInOneObjectIsNamedByItsPath(@TempDir Path dir) throws Exception {
    Path twice = Files.writeString(dir.resolve("twice.json"), "{\"http\": {\"port\": 8080, \"host\": \"0.0.0.0\", \"port\": 8081},"
      + " \"backends\": []}");
    assertEquals("config file '" + twice + "': http.port is written twice in the same object; keep one",
      assertThrows(ConfigException.class, () -> ConfigFile.read(twice.toString())).getMessage());
    assertEquals("-conf: backends[1].url is written twice in the same object; keep one", assertThrows(ConfigException.class,
      () -> ConfigFile.read("{\"backends\": [{\"url\": \"a\"}, {\"name\": \"b\", \"url\": \"a\", \"url\": \"b\"}]}")).getMessage());
    assertEquals("nodeName is written twice in the same object; keep one",
      assertThrows(ConfigException.class, () -> ConfigFile.parse("{\"nodeName\": \"a\", \"nodeName\": \"a\"}")).getMessage());
  }

  @Test
  void commentsAreReadAsVertxReadsThemAndAreNoRepeat() {
    assertEquals(8081, ConfigFile.read("{\"http\": {/* the port */ \"port\": 8081} // why\n}").getJsonObject("http")
      .getInteger("port"));
  }

  @Test
  void theSameKeyInDifferentObjectsIsNoRepeat() {
    assertEquals(2, ConfigFile.read("{\"backends\": [{\"name\": \"a\"}, {\"name\": \"b\"}], \"http\": {\"name\": 1}}")
      .getJsonArray("backends").size());
  }
}
