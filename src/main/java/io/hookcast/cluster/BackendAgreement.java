package io.hookcast.cluster;

import io.hookcast.config.BackendConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Warns when this node's URL for a backend differs from the one the cluster already knows under that name. Each
 * node reads its own config file, and forwarders of one backend on different nodes must deliver to the same place.
 */
public final class BackendAgreement {

  private static final Logger LOG = System.getLogger(BackendAgreement.class.getName());
  private static final String MAP = "hookcast.backends";

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
        LOG.log(Level.WARNING, "could not compare backend URLs with the cluster: " + failure.getMessage());
        return Future.succeededFuture();
      });
  }

  /** Records this node's backend URLs as the cluster's after a deliberate change (live reload), without warning. */
  public static Future<Void> announce(Vertx vertx, List<BackendConfig> backends) {
    return vertx.sharedData().<String, String>getAsyncMap(MAP)
      .compose(known -> Future.join(backends.stream().map(backend -> known.put(backend.name(), backend.url().toString())).toList()))
      .<Void>mapEmpty()
      .otherwiseEmpty();
  }

  private static Future<Void> compare(AsyncMap<String, String> known, String nodeName, BackendConfig backend) {
    String url = backend.url().toString();
    return known.putIfAbsent(backend.name(), url).map(existing -> {
      if (existing != null && !existing.equals(url)) {
        LOG.log(Level.WARNING, "backend '" + backend.name() + "' is " + url + " on node " + nodeName
          + " but " + existing + " elsewhere in the cluster: webhooks for it will go to either, depending on which"
          + " node's forwarder delivers them. Make the backend lists agree.");
      }
      return null;
    });
  }
}
