package io.hookcast.verify;

import io.hookcast.config.VerifyConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks that a webhook was signed by its sender with one of the route's secrets. Implementations are immutable
 * and thread-safe, built once per configuration; {@link #verify} does no I/O.
 */
public interface SignatureVerifier {

  /**
   * @param headers the webhook's headers as received (names are matched case-insensitively)
   * @param body    the raw body, exactly as received: any re-encoding breaks the signature
   * @param now     this node's clock, against which signed timestamps are checked
   */
  Verdict verify(MultiMap headers, Buffer body, Instant now);

  /** The headers {@code scheme} reads: what its sender signs with, and so what no operator needs to see. */
  static List<String> headersRead(VerifyConfig.Scheme scheme) {
    return switch (scheme) {
      case GITHUB -> List.of(BodyHmacVerifier.GITHUB_HEADER, "X-Hub-Signature");
      case STRIPE -> List.of(StripeVerifier.HEADER);
      case SHOPIFY -> List.of(BodyHmacVerifier.SHOPIFY_HEADER);
      case SLACK -> List.of(SlackVerifier.SIGNATURE_HEADER, SlackVerifier.TIMESTAMP_HEADER);
      case STANDARD_WEBHOOKS -> Stream.of(StandardWebhooksVerifier.ID_HEADERS, StandardWebhooksVerifier.TIMESTAMP_HEADERS,
        StandardWebhooksVerifier.SIGNATURE_HEADERS).flatMap(List::stream).toList();
    };
  }

  static SignatureVerifier forConfig(VerifyConfig config) {
    Keys keys = Keys.of(config);
    return switch (config.scheme()) {
      case GITHUB -> BodyHmacVerifier.github(keys);
      case STRIPE -> new StripeVerifier(keys, config.toleranceSeconds());
      case SHOPIFY -> BodyHmacVerifier.shopify(keys);
      case SLACK -> new SlackVerifier(keys, config.toleranceSeconds());
      case STANDARD_WEBHOOKS -> new StandardWebhooksVerifier(keys, config.toleranceSeconds());
    };
  }
}
