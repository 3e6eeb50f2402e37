package io.hookcast.verify;

import io.hookcast.crypto.Hmac;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Stripe: {@code Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]}, each {@code v1} a hex HMAC of
 * {@code t + "." + body} keyed with the endpoint secret exactly as Stripe shows it ({@code whsec_…}, not decoded).
 * Stripe sends several {@code v1} while an endpoint's secret is being rolled; any one matching is enough.
 * Other schemes in the header ({@code v0}, the test-mode scheme) are ignored, as Stripe's libraries do.
 */
final class StripeVerifier implements SignatureVerifier {

  static final String HEADER = "Stripe-Signature";

  private final Keys keys;
  private final long toleranceSeconds;

  StripeVerifier(Keys keys, long toleranceSeconds) {
    this.keys = keys;
    this.toleranceSeconds = toleranceSeconds;
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String header = headers.get(HEADER);
    if (header == null) {
      return Verdict.MISSING_SIGNATURE_HEADER;
    }
    String timestamp = null;
    List<byte[]> presented = new ArrayList<>();
    for (String item : header.split(",")) {
      int eq = item.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = item.substring(0, eq).trim();
      String value = item.substring(eq + 1).trim();
      if (key.equals("t")) {
        if (timestamp != null) {
          return Verdict.MALFORMED_SIGNATURE_HEADER;
        }
        timestamp = value;
      } else if (key.equals("v1")) {
        Encodings.hex(value).ifPresent(presented::add);
      }
    }
    OptionalLong seconds = Encodings.unixSeconds(timestamp);
    if (seconds.isEmpty() || presented.isEmpty()) {
      return Verdict.MALFORMED_SIGNATURE_HEADER;
    }
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
    if (!keys.anyMatches(presented, key -> Hmac.sha256(key, prefix, body))) {
      return Verdict.SIGNATURE_MISMATCH;
    }
    return Encodings.within(seconds.getAsLong(), now, toleranceSeconds) ? Verdict.ACCEPTED : Verdict.TIMESTAMP_OUTSIDE_TOLERANCE;
  }
}
