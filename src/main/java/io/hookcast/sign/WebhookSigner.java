package io.hookcast.sign;

import io.hookcast.config.Secret;
import io.hookcast.config.SignConfig;
import io.hookcast.crypto.StandardWebhooks;
import io.vertx.core.buffer.Buffer;

import javax.crypto.spec.SecretKeySpec;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signs a delivery to a backend by the Standard Webhooks scheme, so that the backend can check with any Standard
 * Webhooks library that Hookcast called it and that the body is intact. Immutable and thread-safe; built once per
 * backend configuration, since decoding the secrets is done here and not per delivery.
 */
public final class WebhookSigner {

  private final List<SecretKeySpec> keys;

  public WebhookSigner(SignConfig config) {
    this.keys = config.secrets().stream().map(Secret::value).map(StandardWebhooks::key).toList();
  }

  /**
   * The headers for one attempt. Sign every attempt anew: the timestamp is part of what is signed, and a backend
   * refuses one older than its tolerance, so a retry hours later must not reuse the first attempt's signature.
   *
   * @param messageId the same for every attempt of a message (backends drop repeats by it)
   * @param now       the time of this attempt
   * @param body      exactly the bytes that are sent
   */
  public SignatureHeaders sign(String messageId, Instant now, Buffer body) {
    String timestamp = Long.toString(now.getEpochSecond());
    String signature = keys.stream()
      .map(key -> StandardWebhooks.signature(key, messageId, timestamp, body))
      .collect(Collectors.joining(" "));
    return new SignatureHeaders(messageId, timestamp, signature);
  }
}
