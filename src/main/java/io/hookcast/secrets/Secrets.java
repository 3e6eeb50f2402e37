package io.hookcast.secrets;

import io.hookcast.config.AlertConfig;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.ConfigException;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.RouteConfig;
import io.hookcast.config.Secret;
import io.hookcast.config.SecretSource;
import io.hookcast.config.SignConfig;
import io.hookcast.config.VerifyConfig;
import io.hookcast.crypto.StandardWebhooks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The step after parsing that reads the secrets of {@code routes[].verify}, {@code backends[].sign} and
 * {@code alerts[].sign}: the configuration names them ({@code secretEnv}: environment variables, {@code secretFile}:
 * files, content trimmed, as written by {@code echo} or a secrets mount) and this reads them. A secret that cannot be
 * read stops startup naming its key and the variable or file, never showing a secret.
 *
 * <p>Reading {@code secretFile} is blocking file I/O: call this where blocking is allowed (at startup, or on a
 * worker thread for a live reload).
 */
public final class Secrets {

  private Secrets() {
  }

  /** @return {@code config} with every secret read */
  public static HookcastConfig load(HookcastConfig config, Map<String, String> environment) {
    List<RouteConfig> routes = new ArrayList<>();
    for (int i = 0; i < config.routes().size(); i++) {
      RouteConfig route = config.routes().get(i);
      VerifyConfig verify = route.verify();
      if (verify != null) {
        String key = "routes[" + i + "].verify.";
        List<Secret> secrets = read(verify.secrets(), key, environment);
        if (verify.scheme() == VerifyConfig.Scheme.STANDARD_WEBHOOKS) {
          secrets.forEach(secret -> requireStandardWebhooksSecret(secret, key));
        }
        verify = new VerifyConfig(verify.scheme(), secrets, verify.toleranceSeconds());
      }
      routes.add(route.withVerify(verify));
    }
    List<BackendConfig> backends = new ArrayList<>();
    for (int i = 0; i < config.backends().size(); i++) {
      BackendConfig backend = config.backends().get(i);
      backends.add(backend.withSign(sign(backend.sign(), "backends[" + i + "].sign.", environment)));
    }
    List<AlertConfig> alerts = new ArrayList<>();
    for (int i = 0; i < config.alerts().size(); i++) {
      AlertConfig alert = config.alerts().get(i);
      alerts.add(alert.withSign(sign(alert.sign(), "alerts[" + i + "].sign.", environment)));
    }
    return config.with(List.copyOf(backends), List.copyOf(routes), List.copyOf(alerts));
  }

  /** Hookcast signs by the Standard Webhooks scheme only, so every signing secret must be one of its. */
  private static SignConfig sign(SignConfig sign, String key, Map<String, String> environment) {
    if (sign == null) {
      return null;
    }
    List<Secret> secrets = read(sign.secrets(), key, environment);
    secrets.forEach(secret -> requireStandardWebhooksSecret(secret, key));
    return new SignConfig(secrets);
  }

  private static List<Secret> read(List<Secret> named, String key, Map<String, String> environment) {
    List<Secret> secrets = new ArrayList<>(named.size());
    for (Secret secret : named) {
      SecretSource source = secret.source();
      secrets.add(new Secret(source, source.kind() == SecretSource.Kind.FILE ? file(source.name(), key)
        : variable(source.name(), key, environment)));
    }
    return List.copyOf(secrets);
  }

  private static String variable(String variable, String key, Map<String, String> environment) {
    String value = environment.get(variable);
    if (value == null) {
      throw new ConfigException(key + "secretEnv: environment variable " + variable + " is not set");
    }
    String secret = withoutByteOrderMark(value).replaceFirst("[\r\n]+$", "");
    if (secret.isBlank()) {
      throw new ConfigException(key + "secretEnv: environment variable " + variable + " is empty");
    }
    return secret;
  }

  private static String file(String file, String key) {
    String content;
    try {
      content = withoutByteOrderMark(Files.readString(Path.of(file), StandardCharsets.UTF_8)).trim();
    } catch (NoSuchFileException e) {
      throw new ConfigException(key + "secretFile: file " + file + " does not exist");
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key + "secretFile: file " + file + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    if (content.isEmpty()) {
      throw new ConfigException(key + "secretFile: file " + file + " is empty");
    }
    return content;
  }

  /**
   * Without a Windows editor's byte order mark, which was part of the key and refused every webhook as a signature
   * mismatch. A file is also trimmed, as editors end it with a newline; a variable loses only trailing line breaks
   * (echo's, through a Kubernetes secret), and keeps spaces its secret may have.
   */
  private static String withoutByteOrderMark(String value) {
    return value.startsWith("\uFEFF") ? value.substring(1) : value;
  }

  private static void requireStandardWebhooksSecret(Secret secret, String key) {
    try {
      StandardWebhooks.key(secret.value());
    } catch (IllegalArgumentException e) {
      String name = secret.source().kind() == SecretSource.Kind.ENV ? "secretEnv" : "secretFile";
      throw new ConfigException(key + name + ": the secret in " + secret.source() + " " + e.getMessage());
    }
  }
}
