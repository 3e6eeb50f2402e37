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
}
