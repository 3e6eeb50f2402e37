package io.hookcast.bus;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryResultTest {

  private static DeliveryResult answer(byte[] body, boolean truncated) {
    return DeliveryResult.answered(new Outcome.Delivered(200), List::of, Buffer.buffer(body), truncated, 1, "a");
  }

  @Test
  void responseHeadersAreWorkedOutOnlyWhenReadAndThenOnce() {
    AtomicInteger workedOut = new AtomicInteger();
    DeliveryResult result = DeliveryResult.answered(new Outcome.Delivered(200), () -> {
      workedOut.incrementAndGet();
      return List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X-Trace", "t1"));
    }, Buffer.buffer("ok"), false, 3, "a").withAttempts(2, 5);
    assertEquals(0, workedOut.get());
    assertEquals(List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X-Trace", "t1")), result.headers());
    assertEquals(1, workedOut.get());
  }

  @Test
  void anAnswerReadsAsTheUtf8TextItHoldsWithEachByteThatIsNotUtf8AsAReplacementCharacter() {
    byte[] body = {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xE9, ' ', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, (byte) 0xE2};

    assertEquals("caf\u00e9 \ufffd \ud83d\ude00\ufffd", answer(body, false).text());
    assertEquals("", DeliveryResult.unanswered(new Outcome.TimedOut("late"), 1, "a").text());
  }

  /** The cut is Hookcast's, not the backend's: it does not turn a character the backend sent whole into U+FFFD. */
  @Test
  void aCutAnswerReadsWithoutTheCharacterTheCutSplit() {
    byte[] euro = "price: 5\u20ac".getBytes(StandardCharsets.UTF_8);
    byte[] splitEuro = Arrays.copyOf(euro, euro.length - 1);

    assertEquals("price: 5", answer(splitEuro, true).text());
    assertEquals("price: 5\u20ac", answer(euro, true).text());
    assertEquals("\ufffdx\ufffd", answer(new byte[] {(byte) 0xFF, 'x', (byte) 0x80}, true).text());
  }

  /** Whatever the bytes and wherever the cut, only a last U+FFFD that the cut itself caused can be missing. */
  @Test
  void aCutAnswerReadsAsTheStartOfTheWholeAnswer() {
    Random random = new Random(11);
    for (int i = 0; i < 20_000; i++) {
      byte[] whole = new byte[1 + random.nextInt(12)];
      for (int j = 0; j < whole.length; j++) {
        // Mostly the bytes that start or continue a sequence, so that cuts land inside them.
        whole[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(128) : random.nextInt(256));
      }
      String wholeText = new String(whole, StandardCharsets.UTF_8);
      for (int cut = 0; cut <= whole.length; cut++) {
        byte[] kept = Arrays.copyOf(whole, cut);
        String text = answer(kept, true).text();
        String asToday = new String(kept, StandardCharsets.UTF_8);
        assertTrue(wholeText.startsWith(text), () -> Arrays.toString(kept));
        assertTrue(asToday.equals(text) || asToday.equals(text + '\ufffd'), () -> Arrays.toString(kept));
      }
    }
  }

  @Test
  void theHeadOfALongAnswerIsItsFirstCharactersReadFromItsFirstBytesAlone() {
    Random random = new Random(5);
    for (int i = 0; i < 2_000; i++) {
      byte[] whole = new byte[1_000 + random.nextInt(3_000)];
      random.nextBytes(whole);
      String wholeText = new String(whole, StandardCharsets.UTF_8);
      String head = answer(whole, random.nextBoolean()).textHead(256);
      assertTrue(wholeText.startsWith(head), () -> Arrays.toString(whole));
      assertEquals(Character.isHighSurrogate(wholeText.charAt(255)) ? 255 : 256, head.length(), () -> Arrays.toString(whole));
    }
  }

  @Test
  void theHeadOfAnAnswerNeverEndsInHalfACharacter() {
    String text = "a".repeat(255) + "\ud83d\ude00" + "b".repeat(2_000);
    String head = answer(text.getBytes(StandardCharsets.UTF_8), false).textHead(256);

    assertEquals("a".repeat(255), head);
    assertEquals("short \u20ac", answer("short \u20ac".getBytes(StandardCharsets.UTF_8), false).textHead(256));
    assertEquals("\u00e9".repeat(256), answer("\u00e9".repeat(2_000).getBytes(StandardCharsets.UTF_8), false).textHead(256));
  }
}
