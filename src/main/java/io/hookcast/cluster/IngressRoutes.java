package io.hookcast.cluster;

import io.hookcast.bus.Addresses;
import io.hookcast.config.BackendConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps in a cluster map the backend addresses ({@link Addresses#forwarders}) one ingress may still hand webhooks
 * to: those it routes to now, and those it routed to before a reload until the webhooks routed then are answered
 * (their quick retries still go there). A node that forwards a backend whose settings a reload changed keeps the
 * forwarder of the old settings until no ingress of the cluster lists its address ({@link UnroutedWait}): nodes
 * reload one by one, and one that has not yet would otherwise meet an address without a forwarder.
 *
 * <p>One entry per ingress (a node runs one per {@code -instances}), keyed by the cluster's id of its node, so that
 * the entries of a node that has left the cluster, which no one removes when it dies, are told apart and ignored.
 */
public final class IngressRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(IngressRoutes.class);
  private static final String MAP = "hookcast.routes";
  /** Between the node's id and the ingress's own in a key; neither contains it. */
  private static final char KEY_SEPARATOR = '/';
  private static final String LINE = "\n";
  /** The most a stopping ingress waits to take its entry off the map: a cluster that does not answer must not hold a stop. */
  public static final long STOP_TIMEOUT_MS = 2_000;
  /**
   * How long an entry whose node is not among the members is left before it is dropped: a node that has just joined
   * may have written its entry before this node's view of the members shows it.
   */
  private static final long LEFT_CONFIRM_MS = 10_000;

  private final Context context;
  private final AsyncMap<String, String> map;
  private final String key;
  private final String nodeName;
  private List<BackendConfig> current;
  /** The backends of earlier routings whose webhooks are not all answered yet, once per such routing. */
  private final List<List<BackendConfig>> answering = new ArrayList<>();
  private Future<Void> writing = Future.succeededFuture();
  /** Once stopped, nothing is written: a reload's late callback would otherwise list a stopped ingress again. */
  private boolean stopped;

  private IngressRoutes(Context context, AsyncMap<String, String> map, String key, String nodeName, List<BackendConfig> current) {
    this.context = context;
    this.map = map;
    this.key = key;
    this.nodeName = nodeName;
    this.current = current;
  }

  /**
   * Lists {@code backends} as the routes of a new ingress on this clustered node, and drops the entries of nodes that
   * have left.
   *
   * @param context the context every later call comes from, on which the callbacks run too
   */
  public static Future<IngressRoutes> start(Vertx vertx, Context context, String nodeName, List<BackendConfig> backends) {
    String key = clusterManager(vertx).getNodeId() + KEY_SEPARATOR + UUID.randomUUID();
    return vertx.sharedData().<String, String>getAsyncMap(MAP).compose(map -> {
      IngressRoutes routes = new IngressRoutes(context, map, key, nodeName, backends);
      return routes.write().onComplete(written -> dropLeft(vertx, map)).map(routes);
    });
  }

  /**
   * The ingress routes to {@code next} from now on; what it routed to before stays listed until {@code routedBefore}
   * completes, once its webhooks are answered.
   *
   * @return completed once the entry no longer lists the previous routes for this switch (written or not): this
   *         node's own forwarders retire only then, or they would find it still listing them and wait on
   */
  public Future<Void> switched(List<BackendConfig> next, Future<Void> routedBefore) {
    List<BackendConfig> previous = current;
    current = next;
    answering.add(previous);
    write();
    Promise<Void> unlisted = Promise.promise();
    routedBefore.onComplete(answered -> context.runOnContext(v -> {
      answering.remove(previous);
      write().onComplete(unlisted);
    }));
    return unlisted.future();
  }

  /**
   * The ingress has stopped: it routes nowhere. Bounded, as a graceful shutdown's budget must hold when the cluster
   * does not answer; the entry left then counts no more once the node has left the cluster.
   */
  public Future<Void> stop() {
    stopped = true;
    return writing.transform(previous -> map.remove(key)).timeout(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .<Void>mapEmpty().otherwiseEmpty();
  }

  /** The names of the live nodes with an ingress that may still hand webhooks to {@code address}, sorted. */
  static Future<Set<String>> routingTo(Vertx vertx, String address) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
      .compose(AsyncMap::entries)
      .map(entries -> {
        Set<String> live = liveNodes(vertx);
        Set<String> names = new TreeSet<>();
        entries.forEach((key, value) -> {
          List<String> lines = List.of(value.split(LINE));
          if (live.contains(nodeOf(key)) && lines.subList(1, lines.size()).contains(address)) {
            names.add(lines.get(0));
          }
        });
        return names;
      });
  }

  /** The entry, written after the ones before it: two writes under way at once could land in either order. */
  private Future<Void> write() {
    if (stopped) {
      return Future.succeededFuture();
    }
    String value = Stream.concat(Stream.of(nodeName), Stream.concat(current.stream(), answering.stream().flatMap(List::stream))
        .map(Addresses::forwarders).distinct())
      .collect(Collectors.joining(LINE));
    writing = writing.transform(previous -> map.put(key, value)).onFailure(failure -> LOG.warn("could not tell the cluster"
      + " which backend settings this node's ingress routes to (" + failure.getMessage() + "); forwarders of settings"
      + " it still uses may retire on other nodes"));
    return writing.otherwiseEmpty();
  }

  /**
   * Entries of nodes that died, which nothing else removes (a live node keeps its own up to date): those whose node
   * is not among the members now, nor {@link #LEFT_CONFIRM_MS} later. In the background: the entries of nodes that
   * left count for nothing meanwhile ({@link #routingTo}), they only take room.
   */
  private static void dropLeft(Vertx vertx, AsyncMap<String, String> map) {
    map.keys().onSuccess(keys -> {
      Set<String> live = liveNodes(vertx);
      List<String> absent = keys.stream().filter(key -> !live.contains(nodeOf(key))).toList();
      if (!absent.isEmpty()) {
        vertx.setTimer(LEFT_CONFIRM_MS, id -> {
          Set<String> stillLive = liveNodes(vertx);
          absent.stream().filter(key -> !stillLive.contains(nodeOf(key))).forEach(map::remove);
        });
      }
    });
  }

  /**
   * Asked after reading the map: a node writes its entry only once it has joined, so one whose entry was read is
   * among the members by then, unless it has left.
   */
  private static Set<String> liveNodes(Vertx vertx) {
    return Set.copyOf(clusterManager(vertx).getNodes());
  }

  private static String nodeOf(String key) {
    int separator = key.lastIndexOf(KEY_SEPARATOR);
    return separator < 0 ? key : key.substring(0, separator);
  }

  private static ClusterManager clusterManager(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager();
  }
}
