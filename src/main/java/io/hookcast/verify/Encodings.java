package io.hookcast.verify;

import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/** Decoding what senders put in signature headers; anything that does not decode is simply absent. */
final class Encodings {

  private static final HexFormat HEX = HexFormat.of();

  private Encodings() {
  }

  static Optional<byte[]> hex(String value) {
    try {
      return Optional.of(HEX.parseHex(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Optional<byte[]> base64(String value) {
    try {
      return Optional.of(Base64.getDecoder().decode(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Unix seconds as senders write them: ASCII digits only, no sign, no fraction. */
  static OptionalLong unixSeconds(String value) {
    if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(value));
  }

  /** Whether a signed time is within the tolerance of now, either way (a clock ahead is as suspect as one behind). */
  static boolean within(long signedSeconds, Instant now, long toleranceSeconds) {
    return Math.abs(now.getEpochSecond() - signedSeconds) <= toleranceSeconds;
  }
}
