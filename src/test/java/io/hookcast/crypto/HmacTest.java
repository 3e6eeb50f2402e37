package io.hookcast.crypto;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** A body read a piece at a time gives the HMAC of the whole message, at every size around a piece's. */
class HmacTest {

  @Test
  void theHmacOfAPrefixAndABodyReadInPiecesIsTheHmacOfTheWholeMessage() throws Exception {
    byte[] secret = "a secret".getBytes(StandardCharsets.UTF_8);
    byte[] prefix = "1700000000.".getBytes(StandardCharsets.US_ASCII);
    Random random = new Random(7);
    for (int length : new int[] {0, 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 3 * 16 * 1024 + 5}) {
      byte[] body = new byte[length];
      random.nextBytes(body);
      Mac whole = Mac.getInstance("HmacSHA256");
      whole.init(new SecretKeySpec(secret, "HmacSHA256"));
      whole.update(prefix);

      assertArrayEquals(whole.doFinal(body), Hmac.sha256(Hmac.key(secret), prefix, Buffer.buffer(body)), "a body of " + length + " bytes");
    }
  }
}
