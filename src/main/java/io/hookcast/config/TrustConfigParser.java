package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code routes[].verify} and {@code backends[].sign} (checked by the schema) into where their secrets are.
 * Secrets never sit in the config file: {@code secretEnv} names environment variables and {@code secretFile} files,
 * each one name or a list, for rotation. They are read in the step after parsing ({@code secrets.Secrets}); until
 * then each {@link Secret} has only its source.
 */
final class TrustConfigParser {

  private TrustConfigParser() {
  }

  /**
   * @param json      the {@code verify} object
   * @param keyPrefix its key with a trailing dot, e.g. {@code routes[0].verify.}
   */
  static VerifyConfig parseVerify(JsonObject json, String keyPrefix) {
    String name = json.getString("scheme");
    VerifyConfig.Scheme scheme = VerifyConfig.Scheme.fromJsonName(name).orElseThrow();
    if (!scheme.timestamped() && json.containsKey("toleranceSeconds")) {
      throw new ConfigException(keyPrefix + "toleranceSeconds: the " + name + " scheme signs no timestamp, so there is no tolerance to set");
    }
    long tolerance = json.getLong("toleranceSeconds", ((Number) ConfigSchema.defaultOf("routes[].verify.toleranceSeconds")).longValue());
    return new VerifyConfig(scheme, sources(json, keyPrefix), tolerance);
  }

  /**
   * @param json      the {@code sign} object
   * @param keyPrefix its key with a trailing dot, e.g. {@code backends[1].sign.}
   */
  static SignConfig parseSign(JsonObject json, String keyPrefix) {
    return new SignConfig(sources(json, keyPrefix));
  }

  private static List<Secret> sources(JsonObject json, String keyPrefix) {
    List<String> variables = ConfigJson.strings(json.getValue("secretEnv"));
    List<String> files = ConfigJson.strings(json.getValue("secretFile"));
    if (variables.isEmpty() && files.isEmpty()) {
      throw new ConfigException(keyPrefix + "secretEnv: missing; name the environment variable (secretEnv) or file (secretFile) "
        + "that holds the secret");
    }
    List<Secret> secrets = new ArrayList<>();
    variables.forEach(variable -> secrets.add(new Secret(new SecretSource(SecretSource.Kind.ENV, variable), null)));
    files.forEach(file -> secrets.add(new Secret(new SecretSource(SecretSource.Kind.FILE, file), null)));
    return List.copyOf(secrets);
  }
}
