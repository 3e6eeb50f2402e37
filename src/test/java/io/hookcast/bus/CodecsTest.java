package io.hookcast.bus;

import io.hookcast.config.DeliveryConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire format used between cluster nodes, which a single-node run never exercises. */
class CodecsTest {

  private static final long MAX_BODY = 64 * 1024;
  private static final HandoffCodec HANDOFFS = new HandoffCodec("node-a", MAX_BODY);
  private static final ReplyCodec REPLIES = new ReplyCodec("node-b");
  private static final String INBOX = "hookcast.inbox.x";
  private static final DeliveryResult OK = DeliveryResult.answered(new Outcome.Delivered(200), () -> List.of(), Buffer.buffer("ok"), false, 1, "node-b");

  private static Webhook webhook(int bodyBytes) {
    byte[] body = new byte[bodyBytes];
    new Random(1).nextBytes(body);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-GitHub-Event", "push").add("X-Multi", "1").add("X-Multi", "2");
    return new Webhook("id-1", "POST", "/hook?a=ü", headers, Buffer.buffer(body));
  }

  /** A hand-off frame of {@code webhook}, as node-a writes it. */
  private static Buffer frame(Webhook webhook) {
    Buffer wire = Buffer.buffer();
    HANDOFFS.encodeToWire(wire, handoff(webhook));
    return wire;
  }

  private static Handoff handoff(Webhook webhook) {
    return new Handoff(webhook, INBOX, 7, 1, 1, 5_000);
  }

  private static Buffer frame(Reply reply) {
    Buffer wire = Buffer.buffer();
    REPLIES.encodeToWire(wire, reply);
    return wire;
  }

  @Nested
  class WellFormedFrames {

    @Test
    void webhookSurvivesTheWireByteForByte() {
      Webhook sent = webhook((int) MAX_BODY);

      Buffer wire = Buffer.buffer("prefix");
      HANDOFFS.encodeToWire(wire, handoff(sent));
      Webhook received = HANDOFFS.decodeFromWire("prefix".length(), wire).webhook();

      assertEquals("id-1", received.requestId());
      assertEquals("POST", received.method());
      assertEquals("/hook?a=ü", received.uri());
      assertEquals("push", received.headers().get("x-github-event"));
      assertEquals(List.of("1", "2"), received.headers().getAll("X-Multi"));
      assertArrayEquals(sent.body().getBytes(), received.body().getBytes());
    }

    @Test
    void handoffsAndRepliesArePassedByReferenceLocally() {
      Handoff handoff = handoff(new Webhook("id", "GET", "/", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer()));
      Reply reply = new Reply(1, 0, OK);
      assertSame(handoff, HANDOFFS.transform(handoff));
      assertSame(reply, REPLIES.transform(reply));
    }

    @Test
    void everyKindOfOutcomeSurvivesTheWire() {
      for (DeliveryResult sent : new DeliveryResult[] {
        DeliveryResult.answered(new Outcome.Rejected(404, -1), () -> List.of(), Buffer.buffer("Major failure on backend one!"), true, 12, "node-b"),
        DeliveryResult.answered(new Outcome.Rejected(429, 7_000), () -> List.of(Map.entry("Retry-After", "7")), Buffer.buffer(), false, 1, "node-b"),
        DeliveryResult.answered(new Outcome.Delivered(200), () -> List.of(Map.entry("Content-Type", "text/plain; charset=utf-8"),
          Map.entry("Set-Cookie", "a=1"), Map.entry("Set-Cookie", "b=2"), Map.entry("X-Content-Type-Options", "nosniff")),
          Buffer.buffer("abc"), false, 2, "node-b"),
        DeliveryResult.unanswered(new Outcome.Unreachable("connection refused", true), 3, "node-c"),
        DeliveryResult.unanswered(new Outcome.TimedOut("no complete answer within 100 ms"), 100, "node-c"),
        DeliveryResult.unanswered(new Outcome.Refused(Outcome.UNAVAILABLE, "circuit open"), 0, null),
        DeliveryResult.answered(new Outcome.Aborted(410), () -> List.of(), Buffer.buffer("gone"), false, 4, "node-b")}) {
        Reply received = REPLIES.decodeFromWire(0, frame(new Reply(5, 2, sent)));
        assertEquals(new Reply(5, 2, sent), received);
      }
    }

    /** A backend's binary answer crosses to the sender's node as the bytes it sent, not as text. */
    @Test
    void anAnswerThatIsNotUtf8SurvivesTheWireByteForByte() {
      Buffer binary = Buffer.buffer(new byte[] {0x00, (byte) 0xFF, (byte) 0xFE, (byte) 0x80, 'o', 'k', (byte) 0xE9, (byte) 0xE2, (byte) 0x82});
      DeliveryResult sent = DeliveryResult.answered(new Outcome.Delivered(200),
        () -> List.of(Map.entry("Content-Type", "application/octet-stream")), binary, true, 2, "node-b");

      DeliveryResult received = REPLIES.decodeFromWire(0, frame(new Reply(5, 2, sent))).result();

      assertArrayEquals(binary.getBytes(), received.body().getBytes());
      assertTrue(received.truncated());
      assertEquals(List.of(Map.entry("Content-Type", "application/octet-stream")), received.headers());
    }

    /**
     * A backend's binary answer of 1 MiB to a node whose webhooks are at most 64 KiB: the reply is read, not dropped
     * for the webhooks' limit.
     */
    @Test
    void aBinaryAnswerLargerThanAWebhookMayBeSurvivesTheWire() {
      byte[] binary = new byte[1024 * 1024];
      java.util.Arrays.fill(binary, (byte) 0xFF);
      DeliveryResult sent = DeliveryResult.answered(new Outcome.Delivered(200), () -> List.of(), Buffer.buffer(binary), false, 2,
        "node-b");
      assertEquals(new Reply(5, 2, sent), REPLIES.decodeFromWire(0, frame(new Reply(5, 2, sent))));
    }

    /** Each byte of the answer is one on the wire: the largest answer a forwarder keeps fits the reply's limit. */
    @Test
    void theLargestAnswerAForwarderKeepsSurvivesTheWire() {
      byte[] binary = new byte[DeliveryConfig.MAX_RESPONSE_BODY_BYTES];
      java.util.Arrays.fill(binary, (byte) 0x80);
      DeliveryResult sent = DeliveryResult.answered(new Outcome.Delivered(200), () -> List.of(), Buffer.buffer(binary), true, 2,
        "node-b");
      assertArrayEquals(binary, REPLIES.decodeFromWire(0, frame(new Reply(5, 2, sent))).result().body().getBytes());
    }
  }

  @Nested
  class HostileWebhookFrames {

    /**
     * Offsets in a hand-off frame written by node-a: length, magic, version, sender ("node-a"), reply address,
     * exchange, slot, attempt and time allowed, then the webhook's fields.
     */
    private static final int VERSION_AT = 8;
    private static final int FIELDS_AT = 4 + 4 + 1 + 4 + "node-a".length() + 4 + INBOX.length() + 8 + 4 + 4 + 8;

    private MalformedFrameException refused(Buffer frame) {
      return assertThrows(MalformedFrameException.class, () -> HANDOFFS.decodeFromWire(0, frame));
    }

    @Test
    void aBodyLargerThanThisNodesLimitIsRefusedNamingTheSender() {
      Buffer frame = Buffer.buffer();
      new HandoffCodec("big-sender", MAX_BODY * 2).encodeToWire(frame, handoff(webhook((int) MAX_BODY + 1)));

      MalformedFrameException e = refused(frame);
      assertEquals("node 'big-sender'", e.describeSender());
      assertTrue(e.getMessage().contains("limit of " + MAX_BODY), e.getMessage());
    }

    @Test
    void aHugeDeclaredFrameLengthIsRefusedBeforeAnythingIsRead() {
      Buffer frame = frame(webhook(10));
      frame.setInt(0, Integer.MAX_VALUE);

      MalformedFrameException e = refused(frame);
      assertEquals("node 'node-a'", e.describeSender());
      assertTrue(e.getMessage().contains(String.valueOf(Integer.MAX_VALUE)), e.getMessage());
    }

    @Test
    void aFrameLongerThanWhatArrivedIsRefused() {
      Buffer frame = frame(webhook(10));
      frame.setInt(0, frame.length());

      assertEquals("node 'node-a'", refused(frame).describeSender());
    }

    @Test
    void aHugeBodyLengthInsideASmallFrameIsRefusedWithoutAllocatingIt() {
      Buffer frame = frame(webhook(10));
      frame.setInt(frame.length() - 10 - 4, Integer.MAX_VALUE);

      assertTrue(refused(frame).getMessage().contains("limit"));
    }

    @Test
    void aBodyLengthPastTheEndOfTheFrameIsRefused() {
      Buffer frame = frame(webhook(10));
      frame.setInt(frame.length() - 10 - 4, 11);

      assertTrue(refused(frame).getMessage().contains("past the end"));
    }

    @Test
    void negativeStringAndBodyLengthsAreRefused() {
      Buffer badString = frame(webhook(10));
      badString.setInt(FIELDS_AT, -7);
      Buffer badBody = frame(webhook(10));
      badBody.setInt(badBody.length() - 10 - 4, -1);

      assertTrue(refused(badString).getMessage().contains("negative"));
      assertTrue(refused(badBody).getMessage().contains("negative"));
    }

    @Test
    void aHeaderCountThatCannotFitInTheFrameIsRefusedBeforeReadingHeaders() {
      Webhook webhook = new Webhook("id", "POST", "/", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer());
      Buffer frame = frame(webhook);
      int countAt = FIELDS_AT + (4 + 2) + (4 + 4) + (4 + 1);
      frame.setInt(countAt, 100_000_000);

      assertTrue(refused(frame).getMessage().contains("100000000 headers"));
    }

    @Test
    void anotherWireVersionIsRefusedNamingTheSender() {
      Buffer frame = frame(webhook(10));
      byte other = (byte) (Wire.VERSION + 1);
      frame.setByte(VERSION_AT, other);

      MalformedFrameException e = refused(frame);
      assertEquals("node 'node-a'", e.describeSender());
      assertTrue(e.getMessage().contains("version " + other), e.getMessage());
    }

    @Test
    void aFrameOfAnotherCodecOrOfNoneIsRefused() {
      Buffer result = frame(new Reply(1, 0, OK));
      Buffer garbage = Buffer.buffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

      assertEquals("an unknown node", refused(result).describeSender());
      assertEquals("an unknown node", refused(garbage).describeSender());
      assertEquals("an unknown node", refused(Buffer.buffer(new byte[3])).describeSender());
      assertEquals("an unknown node", refused(Buffer.buffer()).describeSender());
    }

    @Test
    void aSenderNameThatCouldForgeLogLinesIsNotRepeated() {
      Buffer frame = Buffer.buffer();
      new HandoffCodec("a\nWARNING: forged", MAX_BODY).encodeToWire(frame, handoff(webhook(10)));

      assertEquals("an unknown node", refused(frame).describeSender());
    }

    @Test
    void trailingBytesAfterTheLastFieldAreRefused() {
      Buffer frame = frame(webhook(10)).appendBytes(new byte[5]);
      frame.setInt(0, frame.length() - 4);

      assertTrue(refused(frame).getMessage().contains("5 bytes follow"));
    }

    @Test
    void invalidUtf8IsRefused() {
      Buffer frame = frame(webhook(10));
      frame.setByte(FIELDS_AT + 4, (byte) 0xC3);
      frame.setByte(FIELDS_AT + 5, (byte) 0x28);

      assertTrue(refused(frame).getMessage().contains("UTF-8"));
    }

    @Test
    void aMissingRequiredFieldIsRefused() {
      Buffer frame = frame(webhook(10));
      // The request id "id-1" becomes a null string, and its 4 bytes are dropped from the frame.
      Buffer withoutId = Buffer.buffer().appendBuffer(frame, 0, FIELDS_AT).appendInt(-1).appendBuffer(frame, FIELDS_AT + 8, frame.length() - FIELDS_AT - 8);
      withoutId.setInt(0, withoutId.length() - 4);

      assertTrue(refused(withoutId).getMessage().contains("no request id"));
    }

    @Test
    void everyTruncationOfAValidFrameIsRefused() {
      Buffer frame = frame(webhook(100));
      for (int length = 0; length < frame.length(); length++) {
        Buffer cut = frame.getBuffer(0, length);
        assertThrows(MalformedFrameException.class, () -> HANDOFFS.decodeFromWire(0, cut), "cut at " + length);
      }
    }

    @Test
    void randomlyCorruptedFramesAreEitherReadWithinTheLimitsOrRefused() {
      Random random = new Random(42);
      int refusals = 0;
      for (int i = 0; i < 10_000; i++) {
        Buffer frame = frame(webhook(20));
        // Flip a few bytes of a valid frame: the nastiest garbage is almost right.
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          frame.setByte(random.nextInt(frame.length()), (byte) random.nextInt(256));
        }
        // Any exception other than a refusal fails the test.
        try {
          Webhook read = HANDOFFS.decodeFromWire(0, frame).webhook();
          assertTrue(read.body().length() <= 20, "read a body of " + read.body().length() + " bytes from a 20-byte one");
        } catch (MalformedFrameException expected) {
          refusals++;
        }
      }
      assertTrue(refusals > 5_000, refusals + " of 10000 corrupted frames refused");
    }
  }

  @Nested
  class HostileReplyFrames {

    /** Offsets in a reply frame written by node-b: length, magic, version, sender, exchange and slot, then the outcome. */
    private static final int KIND_AT = 4 + 4 + 1 + 4 + "node-b".length() + 8 + 4;
    private static final int STATUS_AT = KIND_AT + 1;

    /**
     * A forwarder node of an older version sets the retryable bit of a 502 or 504; the node that reads the reply goes
     * by the status, and does not send the webhook again.
     */
    @Test
    void aGatewaysAnswerThatAnOlderNodeMarkedRetryableIsNotRetried() {
      for (int status : new int[] {502, 504}) {
        Buffer frame = frame(new Reply(5, 2, DeliveryResult.answered(new Outcome.Rejected(status, -1), () -> List.of(),
          Buffer.buffer("bad gateway"), false, 1, "node-b")));
        frame.setByte(STATUS_AT + 4, (byte) 1);
        assertFalse(REPLIES.decodeFromWire(0, frame).result().outcome().retryable(), "status " + status);
      }
    }

    /** A reply whose exchange and slot could be read: its answer is all that is wrong. */
    private DeliveryResult unreadable(Buffer frame) {
      Reply reply = REPLIES.decodeFromWire(0, frame);
      assertEquals(5, reply.exchange());
      assertEquals(2, reply.slot());
      assertInstanceOf(Outcome.Unreachable.class, reply.result().outcome());
      assertFalse(reply.result().outcome().retryable(), "the backend may have had the webhook");
      assertTrue(reply.result().error().contains("node 'node-b'"), reply.result().error());
      return reply.result();
    }

    @Test
    void aReplyFrameLargerThanThisNodeReadsIsRefusedNamingTheSender() {
      Buffer frame = frame(new Reply(5, 2, OK));
      frame.setInt(0, Integer.MAX_VALUE);

      MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> REPLIES.decodeFromWire(0, frame));
      assertEquals("node 'node-b'", e.describeSender());
    }

    @Test
    void aStatusThatHttpCannotCarryMakesTheAnswerUnreachableNotAnException() {
      Buffer frame = frame(new Reply(5, 2, OK));
      frame.setInt(STATUS_AT, -1);

      assertTrue(unreadable(frame).error().contains("status -1"));
    }

    @Test
    void anOutcomeOfUnknownKindOrAtOddsWithItsStatusIsRefused() {
      Buffer unknown = frame(new Reply(5, 2, OK));
      unknown.setByte(KIND_AT, (byte) 9);
      Buffer deliveredWith500 = frame(new Reply(5, 2, OK));
      deliveredWith500.setInt(STATUS_AT, 500);
      Buffer answerWithAnError = frame(new Reply(5, 2, DeliveryResult.unanswered(new Outcome.TimedOut("late"), 1, "node-b")));
      answerWithAnError.setByte(KIND_AT, (byte) 1);
      // A failure with a status a backend answers with: a route answering with its primary would pass it on.
      Buffer failureWith404 = frame(new Reply(5, 2, DeliveryResult.unanswered(new Outcome.TimedOut("late"), 1, "node-b")));
      failureWith404.setInt(STATUS_AT, 404);
      Buffer refusalWith500 = frame(new Reply(5, 2, DeliveryResult.unanswered(new Outcome.Refused(Outcome.UNAVAILABLE, "circuit open"), 0,
        "node-b")));
      refusalWith500.setInt(STATUS_AT, 500);
      Buffer timeoutWith502 = frame(new Reply(5, 2, DeliveryResult.unanswered(new Outcome.TimedOut("late"), 1, "node-b")));
      timeoutWith502.setInt(STATUS_AT, 502);
      Buffer unreachableWith503 = frame(new Reply(5, 2, DeliveryResult.unanswered(new Outcome.Unreachable("reset", false), 1,
        "node-b")));
      unreachableWith503.setInt(STATUS_AT, 503);

      assertTrue(unreadable(unknown).error().contains("kind 9"));
      assertTrue(unreadable(deliveredWith500).error().contains("status 500"));
      assertTrue(unreadable(answerWithAnError).error().contains("impossible outcome"));
      assertTrue(unreadable(failureWith404).error().contains("status 404"));
      assertTrue(unreadable(refusalWith500).error().contains("status 500"));
      assertTrue(unreadable(timeoutWith502).error().contains("status 502"));
      assertTrue(unreadable(unreachableWith503).error().contains("status 503"));
    }

    @Test
    void aResponseBodyLengthThatIsNegativePastTheFrameOrOverTheLimitMakesTheAnswerUnreadable() {
      // Of an answer without an error: status, retryable, Retry-After and the error's null length, then the body's length.
      int bodyAt = STATUS_AT + 4 + 1 + 8 + 4;
      for (int length : new int[] {-1, 1_000, DeliveryConfig.MAX_RESPONSE_BODY_BYTES + 1}) {
        Buffer frame = frame(new Reply(5, 2, OK));
        frame.setInt(bodyAt, length);
        assertEquals(Outcome.UNREACHABLE, unreadable(frame).status(), "length " + length);
      }
    }

    @Test
    void aHeaderCountLargerThanTheFrameIsRefused() {
      Buffer frame = frame(new Reply(5, 2, OK));
      // The header count is the frame's last field.
      frame.setInt(frame.length() - 4, 100_000_000);

      assertTrue(unreadable(frame).error().contains("100000000 response headers"));
    }
  }

  @Nested
  class HandoffAndReplyFrames {

    @Test
    void aHandoffSurvivesTheWireWithItsReplyAddressExchangeAndSlot() {
      Handoff sent = new Handoff(webhook(1024), "hookcast.inbox.1b4e28ba", Long.MAX_VALUE - 3, 31, 1, 5_000);

      Buffer wire = Buffer.buffer("prefix");
      HANDOFFS.encodeToWire(wire, sent);
      Handoff received = HANDOFFS.decodeFromWire("prefix".length(), wire);

      assertEquals("hookcast.inbox.1b4e28ba", received.replyTo());
      assertEquals(Long.MAX_VALUE - 3, received.exchange());
      assertEquals(31, received.slot());
      assertEquals("/hook?a=ü", received.webhook().uri());
      assertEquals(List.of("1", "2"), received.webhook().headers().getAll("X-Multi"));
      assertArrayEquals(sent.webhook().body().getBytes(), received.webhook().body().getBytes());
      assertNull(received.webhook().traceParent());
    }

    @Test
    void aTracedWebhookCarriesItsTraceContextToTheForwardersNode() {
      String traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

      Handoff received = HANDOFFS.decodeFromWire(0, frame(webhook(64).tracedBy(traceParent)));

      assertEquals(traceParent, received.webhook().traceParent());
      assertEquals("id-1", received.webhook().requestId());
    }

    @Test
    void aHandoffWhoseWebhookIsOverThisNodesLimitIsRefusedWithWhereToAnswer() {
      Buffer frame = Buffer.buffer();
      new HandoffCodec("big-sender", MAX_BODY * 2)
        .encodeToWire(frame, new Handoff(webhook((int) MAX_BODY + 1), "hookcast.inbox.x", 9, 2, 1, 5_000));

      MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> HANDOFFS.decodeFromWire(0, frame));
      assertEquals("node 'big-sender'", e.describeSender());
      assertTrue(e.getMessage().contains("limit of " + MAX_BODY), e.getMessage());
      assertEquals("hookcast.inbox.x", e.answerTo());
      assertEquals(9, e.answer().exchange());
      assertEquals(2, e.answer().slot());
      assertInstanceOf(Outcome.Unreachable.class, e.answer().result().outcome());
      assertFalse(e.answer().result().outcome().retryable(), "this node would refuse it again at once");
      assertEquals(Outcome.UNREACHABLE, e.answer().result().status());
      assertEquals("forwarder failed", e.answer().result().error());
      assertEquals("node-a", e.answer().result().node(), "the refusing node, for its sender's log");
    }

    /**
     * However far over this node's limit (a forwarder node configured with a smaller http.maxBodyBytes than the
     * ingress's): answered, so that a sync sender hears at once and not at its deadline, and as a failed attempt, so
     * that an async delivery follows its schedule to the end instead of being given back and sent again forever.
     */
    @Test
    void aHandoffFarOverThisNodesLimitIsAnsweredAsAFailedAttempt() {
      Buffer frame = Buffer.buffer();
      new HandoffCodec("big-sender", MAX_BODY * 64)
        .encodeToWire(frame, new Handoff(webhook((int) (MAX_BODY + 2 * Wire.HEADROOM_BYTES)), "hookcast.inbox.x", 9, 2, 1, 5_000));

      MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> HANDOFFS.decodeFromWire(0, frame));
      assertEquals("hookcast.inbox.x", e.answerTo(), e.getMessage());
      assertEquals(2, e.answer().slot());
      assertTrue(e.answer().result().outcome().attempted());
      assertEquals(0, e.answer().result().attempts(), "no request was made to the backend");
      assertEquals(Outcome.UNREACHABLE, e.answer().result().status());
      assertEquals("forwarder failed", e.answer().result().error());
    }

    @Test
    void aHandoffThatWouldHaveTheForwarderAnswerAnythingButAnInboxIsRefused() {
      for (String replyTo : List.of("hookcast.config.changed", "hookcast.inbox.", "")) {
        Buffer frame = Buffer.buffer();
        HANDOFFS.encodeToWire(frame, new Handoff(webhook(16), replyTo, 1, 0, 1, 5_000));

        MalformedFrameException e = assertThrows(MalformedFrameException.class, () -> HANDOFFS.decodeFromWire(0, frame), replyTo);
        assertNull(e.answerTo(), "no address to answer: " + replyTo);
      }
    }

    /** Each cut keeps a consistent frame length, so that the field readers, not the frame's prefix, meet the end. */
    @Test
    void everyTruncationOfAHandoffIsRefused() {
      Buffer frame = Buffer.buffer();
      HANDOFFS.encodeToWire(frame, new Handoff(webhook(64), "hookcast.inbox.x", 7, 1, 1, 5_000));
      for (int length = 4; length < frame.length(); length++) {
        Buffer cut = frame.getBuffer(0, length);
        cut.setInt(0, length - 4);
        assertThrows(MalformedFrameException.class, () -> HANDOFFS.decodeFromWire(0, cut), "cut to " + length + " bytes");
      }
    }

    @Test
    void randomlyCorruptedHandoffsAreEitherReadWithinTheLimitsOrRefused() {
      Buffer valid = Buffer.buffer();
      HANDOFFS.encodeToWire(valid, new Handoff(webhook(256), "hookcast.inbox.x", 7, 1, 1, 5_000));
      Random random = new Random(7);
      for (int i = 0; i < 5_000; i++) {
        Buffer corrupted = valid.copy();
        corrupted.setByte(random.nextInt(corrupted.length()), (byte) random.nextInt(256));
        try {
          Handoff read = HANDOFFS.decodeFromWire(0, corrupted);
          assertTrue(read.webhook().body().length() <= MAX_BODY);
          assertTrue(read.replyTo().startsWith("hookcast.inbox."), read.replyTo());
        } catch (MalformedFrameException refused) {
          assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty());
        }
      }
    }

    @Test
    void aReplyThatDoesNotSayWhichWebhookItAnswersIsRefused() {
      Buffer frame = frame(new Reply(42, 3, OK));
      Buffer cut = frame.getBuffer(0, 4 + 4 + 1 + 4 + "node-b".length() + 6);
      cut.setInt(0, cut.length() - 4);

      assertThrows(MalformedFrameException.class, () -> REPLIES.decodeFromWire(0, cut));
    }
  }
}
