package io.hookcast.cluster;

import io.hookcast.config.ClusterConfig;
import io.hookcast.tls.PemPair;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;


/**
 * Mutual TLS for the event bus between cluster nodes: each node presents its own certificate, and accepts a
 * connection (in either direction) only from a peer whose certificate chains to the trust list. Webhooks and
 * their answers cross the event bus, so without it anyone on the cluster network could read or inject them.
 * Peers are authenticated by the trust list, not by host name, since nodes are addressed by IP and come and go.
 *
 * <p>The PEM files are read once, at startup, so that a missing or unreadable file stops the node with one
 * line naming the key, rather than failing the first connection between two nodes.
 */
public final class EventBusTls {

  private final Buffer key;
  private final Buffer cert;
  private final Buffer trust;

  private EventBusTls(Buffer key, Buffer cert, Buffer trust) {
    this.key = key;
    this.cert = cert;
    this.trust = trust;
  }

  /** Blocking (reads the files): meant for {@code main}. */
  public static EventBusTls load(ClusterConfig.Tls tls) {
    String key = PemPair.privateKey(tls.keyPath(), "cluster.tls.keyPath");
    String cert = PemPair.certificates(tls.certPath(), "cluster.tls.certPath");
    String trust = PemPair.certificates(tls.trustPath(), "cluster.tls.trustPath");
    return new EventBusTls(Buffer.buffer(key), Buffer.buffer(cert), Buffer.buffer(trust));
  }

  /** Turns TLS on for the event bus's server and client side alike (Vert.x builds both from these options). */
  public EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true)
      .setClientAuth(ClientAuth.REQUIRED)
      .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(key).setCertValue(cert))
      .setTrustOptions(new PemTrustOptions().addCertValue(trust));
  }
}
