package io.hookcast;

import io.hookcast.config.ConfigException;
import io.hookcast.config.ConfigFile;
import io.hookcast.config.HookcastConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * The fat jar's entry point: the Vert.x launcher ({@code -conf}, {@code -instances}, {@code -cluster}, ...) with
 * a configuration that is validated before anything starts. The stock launcher only warns about a missing or
 * broken {@code -conf} and starts anyway, which would leave a router without backends.
 */
public final class Main extends VertxApplication implements VertxApplicationHooks {

  static final int EXIT_BAD_CONFIG = 2;

  private final JsonObject config;

  private Main(String[] args, JsonObject config) {
    super(args);
    this.config = config;
  }

  public static void main(String[] args) {
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n");
    JsonObject config;
    try {
      config = ConfigFile.read(confArgument(args));
      HookcastConfig.fromJson(config);
    } catch (ConfigException e) {
      System.err.println("hookcast: invalid configuration: " + e.getMessage());
      System.exit(EXIT_BAD_CONFIG);
      return;
    }
    new Main(args, config).launch();
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject ignored) {
    return config;
  }

  /** The value of {@code -conf}/{@code --conf} (also {@code -conf=...}), or the default config path. */
  static String confArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String lower = arg.toLowerCase(java.util.Locale.ROOT);
      if ((lower.equals("-conf") || lower.equals("--conf")) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (lower.startsWith("-conf=") || lower.startsWith("--conf=")) {
        return arg.substring(arg.indexOf('=') + 1);
      }
    }
    return ConfigFile.DEFAULT_PATH;
  }
}
