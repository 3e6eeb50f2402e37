package io.hookcast.verify;

import io.hookcast.crypto.StandardWebhooks;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature}, the last a
 * space-separated list of {@code v1,<base64>} entries (several while the sender rotates its secret); entries of other
 * versions are ignored. Svix (behind Clerk's and Resend's webhooks, among others) sends the same scheme as
 * {@code svix-id}, {@code svix-timestamp} and {@code svix-signature}; each header is read under its Standard Webhooks
 * name first, as the signed id is ({@link io.hookcast.config.RouteConfig.DedupConfig#SIGNED_ID_HEADERS}).
 */
final class StandardWebhooksVerifier implements SignatureVerifier {

  static final List<String> ID_HEADERS = List.of("webhook-id", "svix-id");
  static final List<String> TIMESTAMP_HEADERS = List.of("webhook-timestamp", "svix-timestamp");
  static final List<String> SIGNATURE_HEADERS = List.of("webhook-signature", "svix-signature");

  private final Keys keys;
  private final long toleranceSeconds;

  StandardWebhooksVerifier(Keys keys, long toleranceSeconds) {
    this.keys = keys;
    this.toleranceSeconds = toleranceSeconds;
  }

  @Override
  public Verdict verify(MultiMap headers, Buffer body, Instant now) {
    String id = first(headers, ID_HEADERS);
    String timestamp = first(headers, TIMESTAMP_HEADERS);
    String signatures = first(headers, SIGNATURE_HEADERS);
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

  private static String first(MultiMap headers, List<String> names) {
    String value = headers.get(names.get(0));
    return value != null ? value : headers.get(names.get(1));
  }
}
