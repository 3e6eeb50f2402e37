package io.hookcast.config;

import io.hookcast.crypto.StandardWebhooks;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses {@code routes[].verify} and {@code backends[].sign} (checked by the schema), resolving their secrets.
 *
 * <p>Secrets never sit in the config file: {@code secretEnv} names environment variables and {@code secretFile}
 * files (content trimmed, as written by {@code echo} or a secrets mount). Each may be one name or a list, for
 * rotation. A secret that cannot be read stops startup naming the variable or file, never showing a secret.
 *
 * <p>Reading {@code secretFile} is blocking file I/O: call this where blocking is allowed (at startup, or on a
 * worker thread for a live reload).
 */
public final class TrustConfigParser {

  private TrustConfigParser() {
  }

  /**
   * @param json      the {@code verify} object
   * @param keyPrefix its key with a trailing dot, e.g. {@code routes[0].verify.}
   * @param env       the environment the secrets are read from
   */
  public static VerifyConfig parseVerify(JsonObject json, String keyPrefix, Map<String, String> env) {
    String name = json.getString("scheme");
    VerifyConfig.Scheme scheme = VerifyConfig.Scheme.fromJsonName(name).orElseThrow(() -> new ConfigException(keyPrefix
      + "scheme: unknown scheme '" + name + "' (known schemes: "
      + Arrays.stream(VerifyConfig.Scheme.values()).map(VerifyConfig.Scheme::jsonName).collect(Collectors.joining(", ")) + ")"));
    if (!scheme.timestamped() && json.containsKey("toleranceSeconds")) {
      throw new ConfigException(keyPrefix + "toleranceSeconds: the " + name + " scheme signs no timestamp, so there is no tolerance to set");
    }
    long tolerance = json.getLong("toleranceSeconds", ((Number) ConfigSchema.defaultOf("routes[].verify.toleranceSeconds")).longValue());
    List<Secret> secrets = secrets(json, keyPrefix, env);
    if (scheme == VerifyConfig.Scheme.STANDARD_WEBHOOKS) {
      secrets.forEach(secret -> requireStandardWebhooksSecret(secret, keyPrefix));
    }
    return new VerifyConfig(scheme, secrets, tolerance);
  }

  /**
   * @param json      the {@code sign} object
   * @param keyPrefix its key with a trailing dot, e.g. {@code backends[1].sign.}
   * @param env       the environment the secrets are read from
   */
  public static SignConfig parseSign(JsonObject json, String keyPrefix, Map<String, String> env) {
    List<Secret> secrets = secrets(json, keyPrefix, env);
    secrets.forEach(secret -> requireStandardWebhooksSecret(secret, keyPrefix));
    return new SignConfig(secrets);
  }

  private static List<Secret> secrets(JsonObject json, String keyPrefix, Map<String, String> env) {
    List<String> variables = ConfigJson.stringOrList(json, "secretEnv", keyPrefix);
    List<String> files = ConfigJson.stringOrList(json, "secretFile", keyPrefix);
    if (variables.isEmpty() && files.isEmpty()) {
      throw new ConfigException(keyPrefix + "secretEnv: missing; name the environment variable (secretEnv) or file (secretFile) "
        + "that holds the secret");
    }
    List<Secret> secrets = new ArrayList<>();
    for (String variable : variables) {
      String value = env.get(variable);
      if (value == null) {
        throw new ConfigException(keyPrefix + "secretEnv: environment variable " + variable + " is not set");
      }
      if (value.isBlank()) {
        throw new ConfigException(keyPrefix + "secretEnv: environment variable " + variable + " is empty");
      }
      secrets.add(new Secret(new SecretSource(SecretSource.Kind.ENV, variable), value));
    }
    for (String file : files) {
      secrets.add(new Secret(new SecretSource(SecretSource.Kind.FILE, file), readSecretFile(file, keyPrefix)));
    }
    return List.copyOf(secrets);
  }

  private static String readSecretFile(String file, String keyPrefix) {
    String content;
    try {
      content = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new ConfigException(keyPrefix + "secretFile: file " + file + " does not exist");
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(keyPrefix + "secretFile: file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (content.isEmpty()) {
      throw new ConfigException(keyPrefix + "secretFile: file " + file + " is empty");
    }
    return content;
  }

  private static void requireStandardWebhooksSecret(Secret secret, String keyPrefix) {
    try {
      StandardWebhooks.key(secret.value());
    } catch (IllegalArgumentException e) {
      String key = secret.source().kind() == SecretSource.Kind.ENV ? "secretEnv" : "secretFile";
      throw new ConfigException(keyPrefix + key + ": the secret in " + secret.source() + " " + e.getMessage());
    }
  }
}
