package io.hookcast.reload;

import io.hookcast.bus.Addresses;
import io.hookcast.config.ConfigException;
import io.hookcast.config.ConfigFile;
import io.hookcast.config.HookcastConfig;
import io.hookcast.secrets.Secrets;
import io.hookcast.tls.TlsFiles;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Watches the config file and publishes each new valid configuration to this node's verticles. An invalid file
 * is refused with one log line; the running configuration stays in force.
 */
public final class ConfigWatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcherVerticle.class);
  private static final String TEXT = "text";
  /**
   * A file that cannot be read (removed, a volume unmounted) is said so once, then again this often while it stays
   * so, rather than at every scan.
   */
  private static final long UNREADABLE_REPEAT_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final String path;
  private final long scanPeriodMs;
  private ConfigRetriever retriever;
  private HookcastConfig running;
  /** {@link System#nanoTime()} when the file could not be read was last logged; {@code null} while it can be. */
  private Long unreadableSaid;

  public ConfigWatcherVerticle(String path, HookcastConfig running) {
    this.path = path;
    this.scanPeriodMs = running.reload().scanPeriodMs();
    this.running = running;
  }

  /**
   * Deploys a watcher on a worker thread: parsing a changed file reads secret files, which blocks and must not
   * happen on an event loop.
   */
  public static Future<String> deploy(Vertx vertx, String path, HookcastConfig running) {
    return vertx.deployVerticle(new ConfigWatcherVerticle(path, running),
      new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER));
  }

  @Override
  public Future<?> start() {
    retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
      .setScanPeriod(scanPeriodMs)
      .setIncludeDefaultStores(false)
      // The file's text, not its JSON: it is parsed as at startup (a repeated key refused), and a change the JSON
      // would not show (a repeated key removed) is still a change.
      .addStore(new ConfigStoreOptions().setType("file").setFormat("raw")
        .setConfig(new JsonObject().put("path", path).put("raw.key", TEXT))));
    retriever.listen(change -> reload(change.getNewConfiguration().getString(TEXT)));
    retriever.configStream().exceptionHandler(this::unreadable);
    // Compared with what the node runs rather than taken as the starting point: the node read the file seconds
    // before (cluster join, migrations, warm-up), and a change written meanwhile would otherwise never be applied.
    return retriever.getConfig().onSuccess(json -> reload(json.getString(TEXT)));
  }

  @Override
  public Future<?> stop() {
    retriever.close();
    return Future.succeededFuture();
  }

  private void unreadable(Throwable failure) {
    long now = System.nanoTime();
    if (unreadableSaid != null && now - unreadableSaid < UNREADABLE_REPEAT_NANOS) {
      return;
    }
    LOG.warn("config file '" + path + "' could not be read (" + failure.getMessage() + "); keeping the running configuration;"
      + " said again every 10 minutes while it cannot be read");
    unreadableSaid = now;
  }

  private void reload(String text) {
    unreadableSaid = null;
    HookcastConfig next;
    try {
      next = Secrets.load(HookcastConfig.fromJson(ConfigFile.parse(text)), System.getenv());
      // Only TLS settings the file changes: the listeners take new ones at a restart, which they would stop, while
      // files moved or caught half-written since the start would refuse every change a reload can make.
      if (!Objects.equals(next.http().tls(), running.http().tls()) || !Objects.equals(next.admin().tls(), running.admin().tls())) {
        TlsFiles.check(next);
      }
    } catch (ConfigException e) {
      LOG.warn("config file '" + path + "' changed but is invalid: " + HookcastConfig.namingItsVariable(e, System.getenv()).getMessage()
        + "; keeping the running configuration");
      return;
    }
    if (Objects.equals(next, running)) {
      return;
    }
    running = next;
    vertx.eventBus().publish(Addresses.CONFIG_CHANGED, next, new DeliveryOptions().setLocalOnly(true));
  }
}
