package io.hookcast.verify;

import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.VerifyConfig;
import io.vertx.core.MultiMap;

import java.util.Arrays;
import java.util.List;

/** Building verifiers and header sets for the scheme tests. */
final class Vectors {

  private Vectors() {
  }

  static SignatureVerifier verifier(VerifyConfig.Scheme scheme, String... secrets) {
    return verifier(scheme, 300, secrets);
  }

  static SignatureVerifier verifier(VerifyConfig.Scheme scheme, long toleranceSeconds, String... secrets) {
    List<Secret> list = Arrays.stream(secrets).map(s -> new Secret(new SecretSource(SecretSource.Kind.ENV, "TEST_SECRET"), s)).toList();
    return SignatureVerifier.forConfig(new VerifyConfig(scheme, list, toleranceSeconds));
  }

  static MultiMap headers(String... namesAndValues) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
