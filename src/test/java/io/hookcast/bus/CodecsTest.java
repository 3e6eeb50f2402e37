package io.hookcast.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The wire format used between cluster nodes, which a single-node run never exercises. */
class CodecsTest {

  @Test
  void webhookSurvivesTheWireByteForByte() {
    byte[] body = new byte[1 << 20];
    new Random(1).nextBytes(body);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-GitHub-Event", "push").add("X-Multi", "1").add("X-Multi", "2");
    Webhook sent = new Webhook("id-1", "POST", "/hook?a=ü", headers, Buffer.buffer(body));
    WebhookCodec codec = new WebhookCodec();

    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, sent);
    Webhook received = codec.decodeFromWire("prefix".length(), wire);

    assertEquals("id-1", received.requestId());
    assertEquals("POST", received.method());
    assertEquals("/hook?a=ü", received.uri());
    assertEquals("push", received.headers().get("x-github-event"));
    assertEquals(List.of("1", "2"), received.headers().getAll("X-Multi"));
    assertArrayEquals(body, received.body().getBytes());
  }

  @Test
  void webhookIsPassedByReferenceLocally() {
    Webhook webhook = new Webhook("id", "GET", "/", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer());
    assertSame(webhook, new WebhookCodec().transform(webhook));
  }

  @Test
  void deliveryResultSurvivesTheWire() {
    DeliveryResultCodec codec = new DeliveryResultCodec();
    for (DeliveryResult sent : new DeliveryResult[] {
      DeliveryResult.answered(404, "Major failure on backend one!", true, 12, "node-b"),
      DeliveryResult.failed(502, "cannot deliver to http://x/: Connection refused", 3, "node-c"),
      DeliveryResult.failed(503, "no forwarder for backend 'one'", 0, null)}) {
      Buffer wire = Buffer.buffer();
      codec.encodeToWire(wire, sent);
      assertEquals(sent, codec.decodeFromWire(0, wire));
    }
  }
}
