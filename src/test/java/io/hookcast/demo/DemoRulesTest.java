package io.hookcast.demo;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DemoRulesTest {

  @Test
  void bigPayloadRuleComesFirst() {
    assertEquals(new DemoRules.Response(200, "Big payload of 64KB at backend one"),
      DemoRules.responseTo("one", Buffer.buffer("fail_one" + "x".repeat(64 * 1024))));
  }

  @Test
  void exactly64KiBIsNotABigPayload() {
    assertEquals(200, DemoRules.responseTo("one", Buffer.buffer("x".repeat(64 * 1024))).status());
    assertEquals("Wrong backend but ok!", DemoRules.responseTo("one", Buffer.buffer("x".repeat(64 * 1024))).body());
  }

  @Test
  void ownNameBeatsFailures() {
    assertEquals(new DemoRules.Response(200, "Request processed on backend two"), DemoRules.responseTo("two", Buffer.buffer("backend_two fail_two")));
  }

  @Test
  void failuresAre404() {
    assertEquals(new DemoRules.Response(404, "Major failure on backend one!"), DemoRules.responseTo("one", Buffer.buffer("fail_one")));
    assertEquals(new DemoRules.Response(404, "All failing! I'm backend two"), DemoRules.responseTo("two", Buffer.buffer("fail_all")));
    assertEquals(new DemoRules.Response(200, "Wrong backend but ok!"), DemoRules.responseTo("two", Buffer.buffer("fail_one")));
  }
}
