package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * Parses {@code admin}. The operator API can read every stored webhook and send it again, so a listener that other
 * machines can reach must ask for a token: without one, startup stops.
 */
final class AdminConfigParser {

  private static final Range RECENT_SYNC = new Range(0, 100_000);

  private AdminConfigParser() {
  }

  static AdminConfig parse(JsonObject json, Map<String, String> environment) {
    ConfigJson.allowOnly(json, "admin.", Set.of("host", "port", "tls", "token", "recentSync", "redactHeaders"));
    String host = ConfigParser.string(json, "host", "admin.", AdminConfig.DEFAULT_HOST);
    Secret token = token(json, environment);
    if (token == null && !AdminConfig.isLoopback(host)) {
      throw new ConfigException("admin.token (or " + AdminConfig.TOKEN_VARIABLE + ") is required when admin.host (" + host
        + ") is not loopback: the operator API shows and resends stored webhooks");
    }
    return new AdminConfig(host, ConfigParser.PORT.readInt(json, "port", "admin.", AdminConfig.DEFAULT_PORT),
      ConfigParser.parseTls(json, "admin."), token, RECENT_SYNC.readInt(json, "recentSync", "admin.", AdminConfig.DEFAULT_RECENT_SYNC),
      json.containsKey("redactHeaders") ? ConfigJson.stringOrList(json, "redactHeaders", "admin.") : AdminConfig.DEFAULT_REDACT_HEADERS);
  }

  /** The environment wins over the file, so that a shared file never has to hold the secret. */
  private static Secret token(JsonObject json, Map<String, String> environment) {
    String fromEnvironment = environment.get(AdminConfig.TOKEN_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return new Secret(new SecretSource(SecretSource.Kind.ENV, AdminConfig.TOKEN_VARIABLE), fromEnvironment.trim());
    }
    String fromFile = ConfigParser.string(json, "token", "admin.", null);
    if (fromFile == null) {
      return null;
    }
    if (fromFile.isBlank()) {
      throw new ConfigException("admin.token: empty; remove the key for no token (loopback admin.host only)");
    }
    return new Secret(new SecretSource(SecretSource.Kind.CONFIG, "admin.token"), fromFile.trim());
  }
}
