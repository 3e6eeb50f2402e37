package io.hookcast.route.body;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BodyScannerTest {

  private static final List<String> BODIES = List.of(
    "{\"action\":\"opened\",\"number\":42,\"pull_request\":{\"draft\":false,\"labels/x\":1,\"a~b\":\"t\",\"~1\":\"tilde one\"}}",
    "[1,\"two\",{\"three\":3},[4,[5]],null,true]",
    "{\"\":{\"\":1,\"a\":2},\"a\":{\"\":3,\"b\":{\"c\":{\"d\":[0,[1,{\"e\":\"deep\"}]]}}}}",
    "{\"1\":\"one\",\"01\":\"zero one\",\"+1\":\"plus one\",\"-\":\"dash\",\"-1\":\"minus one\",\"\u0663\":\"arabic three\"}",
    "[\"zero\",\"one\",\"two\",\"three\"]",
    "{\"n\":[1,1.0,1e0,-0,-0.0,1E+2,123456789012,12345678901234567890123,3.14159265358979323846,1e400,-1e400,0.1]}",
    "{\"s\":\"a\\\"b\\u00e9\\n\\ud83d\\ude00\",\"t\":\"\\u0000\",\"u\":\"\u00fcber\"}",
    "/* a comment */ {\"action\": // another\n \"closed\"}",
    " \n\t{\"action\" : \"spaced\" } \n",
    "{\"owner\":{\"a\":1,\"b\":[1,2.5,\"x\",null,{\"c\":{}}],\"d\":-0.0,\"e\":1e400,\"f\":\"\\u00e9\\\"\"},\"empty\":{},\"none\":[]}",
    "{\"n\":null,\"nested\":{\"n\":null}}",
    "42", "\"opened\"", "true", "false", "null", "1.5e3", "-0", "1e400", "12345678901234567890",
    "", "   ", "not json", "{\"action\":", "{action:1}", "[", "{\"a\":01}", "'opened'", "NaN");

  private static final List<String> POINTERS = List.of(
    "", "/", "//", "//a", "///", "/a", "/a/", "/a/b", "/a/b/c/d/1/1/e", "/a/b/c/d/1/1", "/a/b/c/d/1", "/action", "/number",
    "/pull_request", "/pull_request/draft", "/pull_request/labels~1x", "/pull_request/a~0b", "/pull_request/~01", "/0", "/1",
    "/01", "/+1", "/-1", "/-", "/-0", "/1.0", "/ 1", "/\u0663", "/2/three", "/3/1/0", "/3/1", "/5", "/99",
    "/n", "/n/0", "/n/1", "/n/2", "/n/3", "/n/4", "/n/5", "/n/6", "/n/7", "/n/8", "/n/9", "/n/10", "/n/11", "/nested/n",
    "/s", "/t", "/u", "/owner", "/owner/b", "/owner/b/4/c", "/empty", "/none", "/x/y/z");

  @Test
  void aComparedPointerHasTheValueJsonDecodeValueAndJsonPointerGive() {
    BodyScanner all = new BodyScanner(POINTERS, null);
    for (String body : BODIES) {
      BodyValues together = all.scan(Buffer.buffer(body));
      Object decoded = decoded(body);
      for (String pointer : POINTERS) {
        Object expected = at(pointer, decoded);
        Object scalar = expected instanceof JsonObject || expected instanceof JsonArray ? null : expected;
        assertEquals(scalar, together.at(pointer), () -> pointer + " in " + body);
        assertEquals(scalar, new BodyScanner(List.of(pointer), null).scan(Buffer.buffer(body)).at(pointer), () -> pointer + " alone in " + body);
      }
    }
  }

  @Test
  void thePointerReadWholeHasTheJsonTextJsonEncodeGives() {
    for (String body : BODIES) {
      Object decoded = decoded(body);
      for (String pointer : POINTERS) {
        Object expected = at(pointer, decoded);
        Object value = new BodyScanner(POINTERS, pointer).scan(Buffer.buffer(body)).at(pointer);
        if (expected instanceof JsonObject || expected instanceof JsonArray) {
          assertEquals(new JsonText(Json.encode(expected)), value, () -> pointer + " in " + body);
        } else {
          assertEquals(expected, value, () -> pointer + " in " + body);
        }
      }
    }
  }

  @Test
  void readingStopsOnceEveryPointerIsDecided() {
    // Never closed, and broken at the end: read to the end, this body is not JSON.
    Buffer unread = Buffer.buffer("{\"action\":\"opened\",\"repository\":{\"id\":7,\"owner\":{\"login\":\"octo\"}},\"padding\":[")
      .appendString("{},".repeat(1 << 20)).appendString("}");
    BodyValues values = new BodyScanner(List.of("/action", "/repository/name", "/repository/owner/login"), "/repository/id").scan(unread);
    assertEquals(Map.of("/action", "opened", "/repository/id", 7, "/repository/owner/login", "octo"), values.byPointer());
  }

  @Test
  void aBodyThatBreaksOffBeforeEveryPointerIsDecidedIsNotJson() {
    assertEquals(BodyValues.NONE, new BodyScanner(List.of("/action", "/number"), null).scan(Buffer.buffer("{\"action\":\"opened\",\"number\":")));
    assertEquals(BodyValues.NONE, new BodyScanner(List.of("/action", "/missing"), null).scan(Buffer.buffer("{\"action\":\"opened\"")));
    assertEquals(BodyValues.NONE, new BodyScanner(List.of(), "/owner").scan(Buffer.buffer("{\"owner\":{\"a\":1")));
  }

  @Test
  void ofANameRepeatedInOneObjectTheFirstMemberCounts() {
    BodyScanner scanner = new BodyScanner(List.of("/action", "/repository/id"), "/owner");
    BodyValues values = scanner.scan(Buffer.buffer(
      "{\"action\":\"opened\",\"action\":\"closed\",\"repository\":{\"name\":\"x\"},\"repository\":{\"id\":1},"
        + "\"owner\":{\"a\":1,\"a\":2},\"owner\":\"second\"}"));
    assertEquals(Map.of("/action", "opened", "/owner", new JsonText("{\"a\":1,\"a\":2}")), values.byPointer());
  }

  @Test
  void aTwentyMebibyteBodyIsReadToItsEndWithoutBuildingItAsATree() {
    // The pointer's value comes last, so nothing is saved by stopping early: only by keeping nothing on the way.
    Buffer body = Buffer.buffer(21 << 20).appendString("{\"items\":[").appendString("{},".repeat(7 << 20)).appendString("{}],\"action\":\"opened\"}");
    BodyScanner scanner = new BodyScanner(List.of("/action", "/items/0/id"), null);
    scanner.scan(Buffer.buffer("{\"action\":\"warm\"}"));
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    BodyValues values = scanner.scan(body);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(Map.of("/action", "opened"), values.byPointer());
    assertTrue(allocated < 1 << 20, "reading a " + (body.length() >> 20) + " MiB body allocated " + allocated + " bytes");
  }

  @Test
  void aConfiguredPointerIsTakenAsVertxJsonPointerTakesIt() {
    assertEquals(List.of("a", "b"), Pointer.parse("/a/b").tokens());
    assertEquals(List.of(), Pointer.parse("").tokens());
    assertEquals(List.of(""), Pointer.parse("/").tokens());
    assertEquals(List.of("a"), Pointer.parse("//a").tokens());
    assertEquals(List.of("a/b", "~1", "~"), Pointer.parse("/a~1b/~01/~0").tokens());
    for (String invalid : List.of("a", "/a~", "/a~2", "/~~01", "#/a")) {
      assertNull(parsedOrNull(invalid), invalid);
    }
    assertEquals(List.of(1, 1, 1, 0, -1, -1, -1), List.of("1", "01", "+1", "-0", "-1", "-", "x").stream().map(Pointer::index).toList());
  }

  /** The body as routes decoded it whole before: {@code null} when it is not JSON. */
  private static Object decoded(String body) {
    try {
      return Json.decodeValue(Buffer.buffer(body));
    } catch (DecodeException notJson) {
      return null;
    }
  }

  /** What a pointer meant in a decoded body: the value, JSON null being none. */
  private static Object at(String pointer, Object decoded) {
    return decoded == null ? null : JsonPointer.from(pointer).queryJson(decoded);
  }

  private static Pointer parsedOrNull(String text) {
    try {
      return Pointer.parse(text);
    } catch (IllegalArgumentException refused) {
      return null;
    }
  }
}
