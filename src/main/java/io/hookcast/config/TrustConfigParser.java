package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code routes[].verify} and {@code backends[].sign} / {@code alerts[].sign} (checked by the schema) into
 * where their secrets are: never in the config file, but in the environment variables and files that {@code secretEnv}
 * and {@code secretFile} name. They are read in the step after parsing ({@code secrets.Secrets}); until
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
    VerifyConfig.Scheme scheme = VerifyConfig.Scheme.fromJsonName(name);
    if (!scheme.timestamped() && json.containsKey("toleranceSeconds")) {
      throw new ConfigException(keyPrefix + "toleranceSeconds: the " + name + " scheme signs no timestamp, so there is no tolerance to set");
    }
    long tolerance = json.getLong("toleranceSeconds", ((Number) ConfigSchema.defaultOf("routes[].verify.toleranceSeconds")).longValue());
    return new VerifyConfig(scheme, sources(json), tolerance);
  }

  static SignConfig parseSign(JsonObject json) {
    return new SignConfig(sources(json));
  }

  /** The schema has required at least one of {@code secretEnv} and {@code secretFile}. */
  private static List<Secret> sources(JsonObject json) {
    List<Secret> secrets = new ArrayList<>();
    ConfigJson.strings(json.getValue("secretEnv"))
      .forEach(variable -> secrets.add(new Secret(new SecretSource(SecretSource.Kind.ENV, variable), null)));
    ConfigJson.strings(json.getValue("secretFile"))
      .forEach(file -> secrets.add(new Secret(new SecretSource(SecretSource.Kind.FILE, file), null)));
    return List.copyOf(secrets);
  }
}
