package io.hookcast.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
  void aMissingRelativePathSaysWhichDirectoryItWasLookedFor() {
    ConfigException error = assertThrows(ConfigException.class, () -> ConfigFile.read("no-such-dir/hookcast.json"));
    assertEquals("config file 'no-such-dir/hookcast.json': no such file in " + Path.of("").toAbsolutePath() + " (the working directory)",
      error.getMessage());
  }

  @Test
  void aFileThatIsNotJsonIsNamed(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"backends\": [");
    ConfigException error = assertThrows(ConfigException.class, () -> ConfigFile.read(broken.toString()));
    assertTrue(error.getMessage().startsWith("config file '" + broken + "': not a valid JSON object"), error.getMessage());
  }

  @Test
  void aJsonSyntaxErrorIsNamedByLineAndColumn(@TempDir Path dir) throws Exception {
    Path trailingComma = Files.writeString(dir.resolve("comma.json"), "{\n  \"http\": {\"port\": 8080,}\n}\n");
    String message = assertThrows(ConfigException.class, () -> ConfigFile.read(trailingComma.toString())).getMessage();
    assertEquals("config file '" + trailingComma + "': not a valid JSON object (a comma before the closing }) at line 2, column 25",
      message);
    assertEquals("not a valid JSON object (it ends before the JSON does: a closing }, ] or \" is missing) at line 2, column 3",
      assertThrows(ConfigException.class, () -> ConfigFile.parse("{\"backends\": [\n  ")).getMessage());
    assertEquals("not a valid JSON object (more follows its closing '}') at line 3, column 3",
      assertThrows(ConfigException.class, () -> ConfigFile.parse("{\"a\": 1}\n\n  {\"b\": 2}")).getMessage());
  }

  /** The log of every refused start and reload would otherwise hold the token. */
  @Test
  void aSyntaxErrorDoesNotQuoteTheTextItCouldNotRead() {
    for (String json : List.of("{\"admin\": {\"token\": s3cr3t}}", "{\"store\": {\"password\": 'hunter2'}}",
      "{\"store\": {\"password\": hunter2 \"user\": \"u\"}}")) {
      String message = assertThrows(ConfigException.class, () -> ConfigFile.parse(json)).getMessage();
      assertTrue(message.startsWith("not a valid JSON object (text JSON does not take there"), message);
      assertFalse(message.contains("s3cr3t") || message.contains("hunter2"), message);
    }
  }

  @Test
  void aBackslashOrALineBreakInAStringIsNamedAsSuch() {
    assertEquals("not a valid JSON object (a backslash that starts no JSON escape (write \\\\ for a backslash, or / in a path))"
      + " at line 1, column 14", assertThrows(ConfigException.class, () -> ConfigFile.parse("{\"path\": \"C:\\data\"}")).getMessage());
    assertEquals("not a valid JSON object (a line break or other control character inside a string (write \\n for a line break))"
      + " at line 1, column 9", assertThrows(ConfigException.class, () -> ConfigFile.parse("{\"a\": \"x\ny\"}")).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> ConfigFile.parse("{\"a\": tru\n}")).getMessage()
      .startsWith("not a valid JSON object (text JSON does not take there"));
  }

  @Test
  void anEmptyFileSaysItIsEmpty(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.json"), "");
    assertEquals("config file '" + empty + "': is empty",
      assertThrows(ConfigException.class, () -> ConfigFile.read(empty.toString())).getMessage());
    Path blank = Files.writeString(dir.resolve("blank.json"), " \n// nothing yet\n");
    assertEquals("config file '" + blank + "': is empty",
      assertThrows(ConfigException.class, () -> ConfigFile.read(blank.toString())).getMessage());
  }

  @Test
  void aFileThatIsAListSaysAConfigIsOneObject(@TempDir Path dir) throws Exception {
    Path list = Files.writeString(dir.resolve("list.json"), "[{\"backends\": []}]");
    assertEquals("config file '" + list + "': must be a JSON object ({...}), not a list",
      assertThrows(ConfigException.class, () -> ConfigFile.read(list.toString())).getMessage());
    assertEquals("must be a JSON object ({...}), not the string \"conf/hookcast.json\"",
      assertThrows(ConfigException.class, () -> ConfigFile.parse("\"conf/hookcast.json\"")).getMessage());
  }

  @Test
  void aFileThatIsNotUtf8SaysSo(@TempDir Path dir) throws Exception {
    // "café" as Windows-1252 writes it: é is the single byte 0xE9.
    Path latin1 = Files.write(dir.resolve("latin1.json"), "{\"nodeName\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals("config file '" + latin1 + "': is not UTF-8; save it as UTF-8",
      assertThrows(ConfigException.class, () -> ConfigFile.read(latin1.toString())).getMessage());
  }

  @Test
  void aDirectorySaysItIsADirectory(@TempDir Path dir) {
    assertEquals("config file '" + dir + "': is a directory, not a file",
      assertThrows(ConfigException.class, () -> ConfigFile.read(dir.toString())).getMessage());
  }

  @Test
  void aLeadingByteOrderMarkIsAccepted(@TempDir Path dir) throws Exception {
    // As Windows Notepad saves UTF-8.
    Path marked = Files.writeString(dir.resolve("marked.json"), "\uFEFF{\"nodeName\": \"caf\u00e9\"}");
    assertEquals("caf\u00e9", ConfigFile.read(marked.toString()).getString("nodeName"));
    assertEquals("a", ConfigFile.parse("\uFEFF{\"nodeName\": \"a\"}").getString("nodeName"));
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
