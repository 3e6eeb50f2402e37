package io.hookcast;

import io.hookcast.cluster.EventBusTls;
import io.hookcast.cluster.HazelcastSetup;
import io.hookcast.cluster.IngressRoutes;
import io.hookcast.config.ConfigException;
import io.hookcast.config.ConfigFile;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.Role;
import io.hookcast.forward.ForwarderVerticle;
import io.hookcast.http.ListenException;
import io.hookcast.ingress.IngressVerticle;
import io.hookcast.logging.LogPipeline;
import io.hookcast.reload.ConfigWatcherVerticle;
import io.hookcast.schedule.DeliveryScheduler;
import io.hookcast.work.BodyWork;
import io.hookcast.secrets.Secrets;
import io.hookcast.store.StoreOpenException;
import io.hookcast.telemetry.Tracing;
import io.hookcast.tls.TlsFiles;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The fat jar's entry point: the Vert.x launcher ({@code -conf}, {@code -instances}, {@code -cluster}, ...) with
 * a configuration that is validated before anything starts. The stock launcher only warns about a missing or
 * broken {@code -conf} and starts anyway, which would leave a router without backends.
 */
public final class Main extends VertxApplication implements VertxApplicationHooks {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);
  /** Beyond the drain and store.timeoutMs, for the rest of Vert.x's close. */
  private static final long CLOSE_SLACK_MS = 5_000;
  private static final long WATCHER_STOP_MS = 2_000;
  /**
   * Printed for {@code --help} before any configuration is read, so that it works in any directory: the stock
   * launcher's text names its own class and a {@code <mainVerticle>} that Hookcast takes from its manifest.
   */
  private static final String USAGE = """
    Usage: bin/hookcast [-conf FILE] [-cluster] [-instances N] [-options FILE|JSON]
           java -jar hookcast.jar [the same options]

    Hookcast receives each webhook on one URL and delivers it to every backend of its route.

      -conf FILE          the configuration, JSON (default: conf/hookcast.json); HOOKCAST_* variables set its keys
      -cluster            join the other nodes of its Hazelcast cluster (the configuration's cluster section)
      -instances N        N copies of the ingress and of every forwarder, sharing its port (default: 1)
      -options FILE|JSON  Vert.x options, e.g. '{"eventLoopPoolSize": 4}'
      -h, --help          this text

    Exit status: 0 after SIGTERM's drain; 2 for a configuration refused at startup; 15 when a listener or the
    store could not start (a port taken, the store unreachable or held by a node still stopping), for a
    supervisor to start it again.
    Read on: docs/operations.md (running, clusters, shutdown), docs/configuration.md (every key).
    """;

  private final String confArgument;
  private final JsonObject json;
  private final HookcastConfig config;
  private final HazelcastClusterManager clusterManager;
  private final EventBusTls eventBusTls;
  private final TransportChoice transport;
  /** Started before Vert.x, so that OTEL_* settings the SDK cannot use stop the start like a bad configuration. */
  private final Tracing tracing;
  private NodeParts parts;
  private Future<Void> warmedUp;
  /** The live-reload watcher's deployment, none without one; SIGTERM stops it first. */
  private volatile Future<String> watcher = Future.succeededFuture();
  /**
   * Every instance, in the order deployed: SIGTERM stops the one that schedules async deliveries, and the start-up
   * lines name the first one's listeners (all instances share them).
   */
  private final List<HookcastVerticle> instances = new CopyOnWriteArrayList<>();

  private Main(String[] args, String confArgument, JsonObject json, HookcastConfig config, HazelcastClusterManager clusterManager,
               EventBusTls eventBusTls, TransportChoice transport, Tracing tracing) {
    super(args);
    this.confArgument = confArgument;
    this.json = json;
    this.config = config;
    this.clusterManager = clusterManager;
    this.eventBusTls = eventBusTls;
    this.transport = transport;
    this.tracing = tracing;
  }

  public static void main(String[] args) {
    if (hasFlag(args, Set.of("-h", "-help", "--help"))) {
      System.out.print(USAGE);
      return;
    }
    LogPipeline.bridgeJavaUtilLogging();
    Main main;
    try {
      String instances = optionValue(args, Set.of("-instances", "--instances"), "1");
      if (!instances.matches("[1-9][0-9]{0,8}")) {
        // The launcher would exit with status 1 and no word.
        throw new ConfigException("-instances: '" + instances + "' is not a whole number of 1 or more");
      }
      String confArgument = optionValue(args, Set.of("-conf", "--conf"), ConfigFile.DEFAULT_PATH);
      JsonObject json = ConfigFile.read(confArgument);
      HookcastConfig config = Secrets.load(HookcastConfig.fromJson(json), System.getenv());
      TlsFiles.check(config);
      LogPipeline.use(config.log());
      HookcastConfig.misspeltVariables(System.getenv()).forEach(LOG::warn);
      boolean clustered = hasFlag(args, Set.of("-cluster", "--cluster", "-c"));
      if (clustered) {
        // Before joining, so that the refusal does not wait for the cluster; the node checks it again as it starts.
        config.checkClustered();
      }
      TransportChoice transport = TransportChoice.fromEnvironment(System.getenv());
      main = new Main(args, confArgument, json, config, clustered ? HazelcastSetup.clusterManager(config.cluster()) : null,
        clustered && config.cluster().tls() != null ? EventBusTls.load(config.cluster().tls()) : null, transport,
        Tracing.start(config.telemetry(), config.nodeName()));
    } catch (ConfigException e) {
      // A misspelt variable is often why a key is missing or wrong.
      HookcastConfig.misspeltVariables(System.getenv()).forEach(warning -> System.err.println("hookcast: " + warning));
      InvalidConfigExit.now(HookcastConfig.namingItsVariable(e, System.getenv()));
      return;
    }
    main.launch();
  }

  @Override
  public JsonObject afterConfigParsed(JsonObject ignored) {
    return json;
  }

  /**
   * One event loop per core where Vert.x would run two: an async webhook crosses several verticles, and with twice as
   * many loops as cores they more often wake a sleeping loop and wait for a core. A number given with
   * {@code -options} is kept, unless it is Vert.x's default, which the options cannot tell from no number at all
   * (docs/operations.md says so); {@code -Dvertx.options.eventLoopPoolSize} is applied by the launcher after this.
   */
  static int eventLoops(int configured) {
    return configured == VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE ? Math.max(1, configured / 2) : configured;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    if (config.metrics().enabled()) {
      // Hookcast's own meters say what matters per backend; Vert.x's per-request ones would only add cost.
      MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
      for (MetricsDomain domain : MetricsDomain.values()) {
        metrics.addDisabledMetricsCategory(domain);
      }
      // Likewise the SQL client's, which StoreMetrics replaces; its unlabelled gauges also collided at start-up
      // ("This Gauge has been already registered"), a warning on every clean start.
      metrics.addDisabledMetricsCategory("sql");
      options.setMetricsOptions(metrics);
    }
    if (transport.fallback() != null) {
      LOG.warn("transport: " + transport.name() + ", because " + transport.fallback());
    }
    options.setEventLoopPoolSize(eventLoops(options.getEventLoopPoolSize()));
    VertxBuilder builder = VertxApplicationHooks.super.createVertxBuilder(options).withTransport(transport.transport());
    if (clusterManager != null) {
      // The launcher applies -cluster-host after this, so the command line still wins.
      options.getEventBusOptions().setHost(config.cluster().host());
      if (eventBusTls != null) {
        eventBusTls.applyTo(options.getEventBusOptions());
      }
      builder.withClusterManager(clusterManager);
    }
    return builder;
  }

  /**
   * Builds the node's parts, which its instances then find, and with them the codecs that the warm-up needs; starts
   * warming the paths while the node is deployed: only its ingress waits for it (see StartupWarmUp).
   */
  @Override
  public void afterVertxStarted(HookContext context) {
    parts = NodeParts.of(context.vertx(), config, tracing);
    warmedUp = StartupWarmUp.run(context.vertx(), config);
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> {
      HookcastVerticle node = HookcastVerticle.openingAfter(warmedUp);
      instances.add(node);
      return node;
    };
  }

  @Override
  public void afterVerticleDeployed(HookContext context) {
    Vertx vertx = context.vertx();
    // First: until it is installed, SIGTERM exits at once (143), cutting off what is in progress.
    drainOnSigterm(vertx);
    // From the options Vert.x was built with: the launcher applies -Dvertx.options.* after createVertxBuilder.
    LOG.info("node " + config.nodeName() + " running " + config.roles() + ", transport: " + transport.name() + ", "
      + context.vertxOptions().getEventLoopPoolSize() + " event loops");
    orient();
    if (config.reload().scanPeriodMs() > 0 && !ConfigFile.isInline(confArgument)) {
      watcher = ConfigWatcherVerticle.deploy(vertx, confArgument, config)
        .onFailure(e -> LOG.warn("live reload is off: the watcher of '" + confArgument + "' did not start (" + e.getMessage() + ")"));
    }
  }

  /** Where a newcomer finds what was started: the configuration read and each listener's URL. */
  private void orient() {
    LOG.info("configuration: " + (ConfigFile.isInline(confArgument) ? "the JSON given to -conf"
      : Path.of(confArgument).toAbsolutePath().normalize().toString()));
    if (config.runs(Role.INGRESS)) {
      LOG.info("webhooks: " + url(config.http().tls() != null, config.http().host(), instances.get(0).httpPort()) + " ("
        + config.routes().stream().map(route -> route.path() + " " + route.mode().name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", ")) + ")");
    }
    String admin = url(config.admin().tls() != null, config.admin().host(), instances.get(0).adminPort());
    // The API's own document: /api alone is no call, and a newcomer who follows the line should find one.
    LOG.info("dashboard: " + admin + "; operator API: " + admin + "api/openapi.json; health: " + admin + "health, "
      + admin + "ready" + (config.metrics().enabled() ? "; metrics: " + admin + "metrics" : ""));
    if (!config.demo().backends().isEmpty()) {
      LOG.info("demo backends: " + config.demo().backends().stream()
        .map(backend -> backend.name() + " " + url(false, config.demo().host(), backend.port()))
        .collect(Collectors.joining(", ")));
    }
  }

  private static String url(boolean tls, String host, int port) {
    String shown = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "https://" : "http://") + shown + ":" + port + "/";
  }

  /**
   * SIGTERM (docker stop, systemd, Kubernetes): stop taking connections, answer every webhook already received,
   * then exit 0. Without this the JVM's own shutdown closes ingress and forwarders at the same time, and a
   * webhook in progress could lose its forwarder.
   * <p>
   * A signal handler rather than the Vert.x 5 launcher's hooks ({@code beforeStoppingVertx}/{@code afterVertxStopped}),
   * because the launcher reaches those only from a JVM shutdown hook, i.e. once the JVM is already exiting:
   * <ul>
   *   <li>the exit status is then fixed at 143 (128 + SIGTERM), and no hook can make it 0 short of
   *       {@code Runtime.halt}, which would cut off the other hooks; systemd counts 143 as a failure;</li>
   *   <li>the other shutdown hooks run at the same time, and Logback's stops the log: the log lines of the drain,
   *       and the access log of the webhooks answered during it, are lost.</li>
   * </ul>
   * Handling the signal keeps the JVM out of its shutdown until the drain is over and Vert.x is closed.
   */
  @SuppressWarnings("removal")
  private void drainOnSigterm(Vertx vertx) {
    // The JVM runs each signal handler on a thread of its own, which may wait: the line is logged once it is true.
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> {
      // A file written now (a deploy that writes the config, then restarts the node) would start forwarders and a
      // scheduler while the drain and the close stop them; the next start reads it.
      // Bounded: a reload under way (a secret file on a mount that hangs) must not hold up the drain.
      watcher.compose(id -> id == null ? Future.succeededFuture() : vertx.undeploy(id))
        .timeout(WATCHER_STOP_MS, TimeUnit.MILLISECONDS).otherwiseEmpty().await();
      Future<Void> drained = parts.ingresses().drainAll().await();
      Future<?> stoppedScheduling = Future.join(instances.stream().map(HookcastVerticle::stopScheduling).toList());
      long boundMs = shutdownBoundMs(vertx.isClustered());
      LOG.info("SIGTERM: refusing new webhooks (503); answering those in progress and recording the deliveries under way,"
        + " then exiting (within " + boundMs + " ms)");
      // Their failures are said in their own words: the close runs after them, and fails only by not ending in time.
      Future<Void> answered = drained.recover(cutOff -> {
        LOG.warn("SIGTERM: webhooks still in progress when the drain's bound ran out (" + cutOff.getMessage() + ") are cut"
          + " off, their senders answered by a closed connection (a body still arriving, say)");
        return Future.succeededFuture();
      });
      Future<Object> recorded = stoppedScheduling.<Object>map(v -> v).recover(unrecorded -> {
        LOG.warn("SIGTERM: the deliveries under way were not all recorded (" + unrecorded.getMessage() + "); their leases"
          + " end and they are attempted again");
        return Future.succeededFuture();
      });
      try {
        Future.join(answered, recorded).eventually(vertx::close).await(boundMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        LOG.warn("SIGTERM: Vert.x did not close within " + boundMs + " ms (a store that does not answer?);"
          + " exiting anyway");
      } catch (Exception e) {
        LOG.warn("SIGTERM: closing Vert.x failed (" + e + "); exiting");
      }
      new Thread(() -> System.exit(0), "hookcast-exit").start();
    });
  }

  /**
   * How long SIGTERM waits before exiting regardless, from the backends this node runs now (a reload may have
   * lengthened their timeouts): the drain, and beside it the scheduler's attempts under way; in a cluster, the
   * forwarders' wait for other nodes to stop sending to them and the deliveries they took meanwhile; and the store's
   * close, which a PostgreSQL server that hangs never lets finish. What was answered 202 is committed already.
   */
  private long shutdownBoundMs(boolean clustered) {
    HookcastConfig now = instances.isEmpty() ? config : instances.get(0).running();
    long drainMs = now.longestAnswerMs() + BodyWork.MAX_WAIT_MS + IngressVerticle.DRAIN_MARGIN_MS;
    // Whether a scheduler runs was decided at start: a reload that removes the last async route leaves it running.
    long schedulingMs = config.hasAsyncRoutes() && config.runs(Role.INGRESS)
      ? DeliveryScheduler.stopBoundMs(now.longestTimeoutMs(), now.store().timeoutMs()) : 0;
    return Math.max(drainMs, schedulingMs)
      + (clustered ? ForwarderVerticle.MAX_QUIET_WAIT_MS + now.longestTimeoutMs() + IngressRoutes.STOP_TIMEOUT_MS : 0)
      + now.store().timeoutMs() + CLOSE_SLACK_MS;
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable failure) {
    System.err.println("hookcast: could not start" + (clusterManager != null ? " or join the cluster" : "") + ": "
      + (failure == null ? "timed out" : failure.getMessage()));
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable failure) {
    // The exit for an invalid configuration undeploys the node whose start found it: that line has said why.
    if (InvalidConfigExit.exiting()) {
      return;
    }
    System.err.println("hookcast: could not start: " + (failure == null ? "timed out" : failure.getMessage()));
    if (failure instanceof ListenException || failure instanceof StoreOpenException) {
      // The line names what and which keys; the launcher would add the failure's stack trace, thirty lines that say
      // nothing more to the operator. Any other failure is unforeseen, and its trace is for the bug report.
      LogPipeline.stop();
      System.exit(ExitCodes.VERTX_DEPLOYMENT);
    }
  }

  /** The value of an option given as {@code -name value} or {@code -name=value}; names are case-insensitive. */
  static String optionValue(String[] args, Set<String> names, String fallback) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i].toLowerCase(Locale.ROOT);
      if (names.contains(arg) && i + 1 < args.length) {
        return args[i + 1];
      }
      int equals = arg.indexOf('=');
      if (equals > 0 && names.contains(arg.substring(0, equals))) {
        return args[i].substring(equals + 1);
      }
    }
    return fallback;
  }

  private static boolean hasFlag(String[] args, Set<String> names) {
    for (String arg : args) {
      if (names.contains(arg.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }
}
