package io.hookcast.cluster;

import io.hookcast.bus.Addresses;
import io.hookcast.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Warns when this node's settings for a backend differ from those the cluster already knows under that name. Each
 * node reads its own config file, and a backend's event-bus address carries a hash of its settings
 * ({@link Addresses#forwarders}): nodes that disagree do not share that backend's deliveries.
 */
public final class BackendAgreement {

  private static final Logger LOG = LoggerFactory.getLogger(BackendAgreement.class);
  private static final String MAP = "hookcast.backends";
  private static final char SEPARATOR = '|';

  private BackendAgreement() {
  }

  /** Never fails: a disagreement is worth a warning, not a node that refuses to start. */
  public static Future<Void> check(Vertx vertx, String nodeName, List<BackendConfig> backends) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
      .compose(known -> {
        List<Future<Void>> checks = new ArrayList<>();
        for (BackendConfig backend : backends) {
          checks.add(compare(known, nodeName, backend));
        }
        return Future.join(checks).<Void>mapEmpty();
      })
      .recover(failure -> {
        LOG.warn("could not compare backend URLs with the cluster: " + failure.getMessage());
        return Future.succeededFuture();
      });
  }

  /** Records this node's backend URLs as the cluster's after a deliberate change (live reload), without warning. */
  public static Future<Void> announce(Vertx vertx, List<BackendConfig> backends) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
      .compose(known -> Future.join(backends.stream().map(backend -> known.put(backend.name(), entry(backend))).toList()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  /**
   * Compares with the settings the node started last had, then records this node's: a change rolled out by restarts
   * is warned about at the first node that starts with it, not at every node after it, up to the last.
   */
  private static Future<Void> compare(AsyncMap<String, String> known, String nodeName, BackendConfig backend) {
    String entry = entry(backend);
    return known.get(backend.name()).compose(existing -> {
      if (existing != null && !existing.equals(entry)) {
        String here = shown(entry);
        String elsewhere = shown(existing);
        LOG.warn("backend '" + backend.name() + "' is " + here + " on node " + nodeName + " but " + elsewhere
          + (here.equals(elsewhere) ? " with other signing secrets" : "") + " elsewhere in the cluster: nodes share a"
          + " backend's deliveries only when its settings are the same, so each ingress delivers it only through"
          + " forwarders set up as it is (and answers 503 \"no forwarder\" when there are none). Make the backend lists agree.");
      }
      return known.put(backend.name(), entry);
    });
  }

  /** What the map holds: what a log line may show, then the address's generation, which covers the secrets too. */
  private static String entry(BackendConfig backend) {
    return backend.url() + " (settings " + Addresses.settings(backend) + ")" + SEPARATOR + Addresses.generation(backend);
  }

  /**
   * An entry of an older node has no generation after it, and its hash covers the secrets: not shown. Of the URL
   * only scheme://host:port is, as {@link BackendConfig#origin()} gives it: an incoming webhook's path is its
   * credential. The entry keeps the whole URL, as nodes of other versions compare it.
   */
  private static String shown(String entry) {
    int separator = entry.lastIndexOf(SEPARATOR);
    if (separator < 0) {
      return "other settings (from a node of an older version)";
    }
    int space = entry.indexOf(' ');
    if (space < 0 || space > separator) {
      return "other settings (from a node of another version)";
    }
    String url = entry.substring(0, space);
    return origin(url) + entry.substring(space, separator);
  }

  /** From the URL's text, since its host may be one {@link java.net.URI} refuses (an underscore, say). */
  private static String origin(String url) {
    int authorityAt = url.indexOf("://") + 3;
    int pathAt = url.indexOf('/', authorityAt);
    String origin = pathAt < 0 ? url : url.substring(0, pathAt);
    return origin.matches(".*:[0-9]+") ? origin : origin + (url.startsWith("https:") ? ":443" : ":80");
  }
}
