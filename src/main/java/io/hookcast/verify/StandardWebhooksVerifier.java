package io.hookcast.verify;

import io.hookcast.crypto.StandardWebhooks;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Standard Webhooks (also what Svix-based senders use): {@code webhook-id}, {@code webhook-timestamp} and
 * {@code webhook-signature}, the last a space-separated list of {@code v1,<base64>} entries (several while the
 * sender rotates its secret); entries of other versions are ignored.
 */
final class StandardWebhooksVerifier implements SignatureVerifier {

  static final String ID_HEADER = "webhook-id";
  static final String TIMESTAMP_HEADER = "webhook-timestamp";
  static final String SIGNATURE_HEADER = "webhook-signature";

  private final Keys keys;
  private final long toleranceSeconds;

  StandardWebhooksVerifier(Keys keys, long toleranceSeconds) {
    this.keys = keys;
    this.toleranceSeconds = toleranceSeconds;
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String id = headers.get(ID_HEADER);
    String timestamp = headers.get(TIMESTAMP_HEADER);
    String signatures = headers.get(SIGNATURE_HEADER);
    if (id == null || timestamp == null || signatures == null) {
      return Verdict.MISSING_SIGNATURE_HEADER;
    }
    OptionalLong seconds = Encodings.unixSeconds(timestamp);
    List<byte[]> presented = new ArrayList<>();
    for (String entry : signatures.trim().split(" +")) {
      int comma = entry.indexOf(',');
      if (comma > 0 && entry.substring(0, comma).equals(StandardWebhooks.VERSION)) {
        Encodings.base64(entry.substring(comma + 1)).ifPresent(presented::add);
      }
    }
    if (seconds.isEmpty() || presented.isEmpty()) {
      return Verdict.MALFORMED_SIGNATURE_HEADER;
    }
    if (!keys.anyMatches(presented, key -> StandardWebhooks.mac(key, id, timestamp, body))) {
      return Verdict.SIGNATURE_MISMATCH;
    }
    return Encodings.within(seconds.getAsLong(), now, toleranceSeconds) ? Verdict.ACCEPTED : Verdict.TIMESTAMP_OUTSIDE_TOLERANCE;
  }
}
