package io.hookcast;

import io.hookcast.bus.Codecs;
import io.hookcast.cluster.BackendAgreement;
import io.hookcast.config.BackendConfig;
import io.hookcast.config.DemoConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.Role;
import io.hookcast.demo.DemoBackendVerticle;
import io.hookcast.forward.ForwarderVerticle;
import io.hookcast.http.IngressVerticle;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles one Hookcast node by its roles: demo backends (if configured), one forwarder per backend, then the
 * ingress, so that the port opens only once local forwarders can take webhooks. Deployed once per
 * {@code -instances}.
 */
public final class HookcastVerticle extends VerticleBase {

  private IngressVerticle ingress;

  @Override
  public Future<?> start() {
    HookcastConfig config = HookcastConfig.fromJson(config());
    Codecs.register(vertx);
    return deployDemo(config.demo())
      .compose(v -> BackendAgreement.check(vertx, config.nodeName(), config.backends()))
      .compose(v -> config.runs(Role.FORWARDER) ? deployForwarders(config) : Future.succeededFuture())
      .compose(v -> {
        if (!config.runs(Role.INGRESS)) {
          return Future.succeededFuture();
        }
        ingress = new IngressVerticle(config);
        return vertx.deployVerticle(ingress);
      });
  }

  /** The ingress port actually bound. */
  public int httpPort() {
    return ingress.actualPort();
  }

  private Future<Void> deployDemo(DemoConfig demo) {
    List<Future<String>> deployed = new ArrayList<>();
    for (DemoConfig.DemoBackend backend : demo.backends()) {
      deployed.add(vertx.deployVerticle(new DemoBackendVerticle(backend.name(), demo.host(), backend.port())));
    }
    return Future.all(deployed).mapEmpty();
  }

  private Future<Void> deployForwarders(HookcastConfig config) {
    List<Future<String>> deployed = new ArrayList<>();
    for (BackendConfig backend : config.backends()) {
      deployed.add(vertx.deployVerticle(new ForwarderVerticle(config.nodeName(), backend, config.delivery())));
    }
    return Future.all(deployed).mapEmpty();
  }
}
