package io.hookcast.cluster;

import io.hookcast.config.ClusterConfig;
import io.hookcast.config.ConfigException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;

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

  private static final String PRIVATE_KEY_END = "PRIVATE KEY-----";

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
    String key = read(tls.keyPath(), "cluster.tls.keyPath");
    if (!key.contains("-----BEGIN ") || !key.contains(PRIVATE_KEY_END)) {
      throw new ConfigException("cluster.tls.keyPath: '" + tls.keyPath() + "' holds no PEM private key");
    }
    String cert = certificates(tls.certPath(), "cluster.tls.certPath");
    String trust = certificates(tls.trustPath(), "cluster.tls.trustPath");
    return new EventBusTls(Buffer.buffer(key), Buffer.buffer(cert), Buffer.buffer(trust));
  }

  /** Turns TLS on for the event bus's server and client side alike (Vert.x builds both from these options). */
  public EventBusOptions applyTo(EventBusOptions options) {
    return options.setSsl(true)
      .setClientAuth(ClientAuth.REQUIRED)
      .setKeyCertOptions(new PemKeyCertOptions().setKeyValue(key).setCertValue(cert))
      .setTrustOptions(new PemTrustOptions().addCertValue(trust));
  }

  private static String certificates(String path, String key) {
    String pem = read(path, key);
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new ConfigException(key + ": '" + path + "' holds no PEM certificate");
    }
    try {
      if (CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.ISO_8859_1))).isEmpty()) {
        throw new ConfigException(key + ": '" + path + "' holds no PEM certificate");
      }
    } catch (CertificateException e) {
      throw new ConfigException(key + ": '" + path + "' holds no readable PEM certificate (" + e.getMessage() + ")");
    }
    return pem;
  }

  private static String read(String path, String key) {
    try {
      // ISO-8859-1 reads any bytes: a DER or other binary file is then reported as holding no PEM, not as unreadable.
      return new String(Files.readAllBytes(Path.of(path)), StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(key + ": '" + path + "' does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException(key + ": '" + path + "' cannot be read (permission denied)");
    } catch (IOException e) {
      throw new ConfigException(key + ": '" + path + "' cannot be read (" + e + ")");
    }
  }
}
