package io.hookcast.verify;

import io.hookcast.config.Secret;
import io.hookcast.config.VerifyConfig;
import io.hookcast.crypto.Hmac;
import io.hookcast.crypto.StandardWebhooks;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A route's HMAC keys, one per configured secret. Standard Webhooks keys with the decoded {@code whsec_} secret;
 * every other scheme with the secret's bytes as the provider gives it (Stripe's {@code whsec_} prefix included).
 */
record Keys(List<SecretKeySpec> all) {

  static Keys of(VerifyConfig config) {
    Function<String, SecretKeySpec> toKey = config.scheme() == VerifyConfig.Scheme.STANDARD_WEBHOOKS
      ? StandardWebhooks::key
      : secret -> Hmac.key(secret.getBytes(StandardCharsets.UTF_8));
    return new Keys(config.secrets().stream().map(Secret::value).map(toKey).toList());
  }

  /** Whether any key's HMAC of the message equals any presented digest (rotation: any secret will do). */
  boolean anyMatches(List<byte[]> presented, Function<SecretKeySpec, byte[]> macOf) {
    for (SecretKeySpec key : all) {
      byte[] expected = macOf.apply(key);
      for (byte[] candidate : presented) {
        if (Hmac.matches(expected, candidate)) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "Keys[" + all.size() + "]";
  }
}
