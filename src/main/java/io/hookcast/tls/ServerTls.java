package io.hookcast.tls;

import io.hookcast.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * HTTPS for one listener: TLS 1.2 and 1.3 only (older versions have known weaknesses and no webhook sender needs
 * them), HTTP/2 or HTTP/1.1 by ALPN, and the certificate taken anew when its files change, so that a certificate
 * renewed by an ACME client is served without a restart. Files are read on a worker thread, never an event loop.
 * A changed pair that cannot be loaded (e.g. the key written but not yet the certificate) is logged, and the
 * previous certificate stays in use until the next change.
 */
public final class ServerTls {

  private static final Logger LOG = System.getLogger("io.hookcast.tls");
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final List<String> ALPN = List.of("h2", "http/1.1");

  private final Vertx vertx;
  private final TlsConfig config;
  private final String key;
  private final PemPair initial;
  /** Written only by {@link #changed()}, whose runs are ordered on this listener's context. */
  private volatile List<Long> loadedStamps;
  private long timer = -1;

  private ServerTls(Vertx vertx, TlsConfig config, String key, PemPair initial, List<Long> stamps) {
    this.vertx = vertx;
    this.config = config;
    this.key = key;
    this.initial = initial;
    this.loadedStamps = stamps;
  }

  /** @param key the configuration key of this TLS block, e.g. {@code http.tls}, for log lines and errors */
  public static Future<ServerTls> load(Vertx vertx, TlsConfig config, String key) {
    return vertx.executeBlocking(() -> {
      List<Long> stamps = stamps(config);
      return new ServerTls(vertx, config, key, read(config, key), stamps);
    }, false);
  }

  /** Turns on TLS, with the certificate loaded at start, in the listener's options. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    return options.setSsl(true).setUseAlpn(true).setEnabledSecureTransportProtocols(PROTOCOLS)
      .setKeyCertOptions(keyCert(initial));
  }

  /** Checks the files every {@code reloadCheckMs} from now on, and gives {@code server} their new content. */
  public void watch(HttpServer server) {
    timer = vertx.setPeriodic(config.reloadCheckMs(), id -> vertx.executeBlocking(this::changed, true)
      .compose(pair -> pair == null ? Future.succeededFuture(false) : server.updateSSLOptions(sslOptions(pair)))
      .onSuccess(updated -> {
        if (updated) {
          LOG.log(Level.INFO, key + ": certificate reloaded from " + config.certFile());
        }
      })
      .onFailure(failure -> LOG.log(Level.WARNING, key + ": the changed certificate or key cannot be used; still serving the "
        + "previous one (" + failure.getMessage() + ")")));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** The files' content when either changed since last looked at, else {@code null}. On a worker thread. */
  private PemPair changed() throws IOException {
    List<Long> stamps = stamps(config);
    if (stamps.equals(loadedStamps)) {
      return null;
    }
    loadedStamps = stamps;
    return read(config, key);
  }

  private static PemPair read(TlsConfig config, String key) {
    return PemPair.read(config.certFile(), key + ".certFile", config.keyFile(), key + ".keyFile");
  }

  private static List<Long> stamps(TlsConfig config) throws IOException {
    return List.of(Files.getLastModifiedTime(Path.of(config.certFile())).toMillis(),
      Files.getLastModifiedTime(Path.of(config.keyFile())).toMillis());
  }

  private static ServerSSLOptions sslOptions(PemPair pair) {
    return new ServerSSLOptions().setUseAlpn(true).setApplicationLayerProtocols(ALPN).setEnabledSecureTransportProtocols(PROTOCOLS)
      .setKeyCertOptions(keyCert(pair));
  }

  private static PemKeyCertOptions keyCert(PemPair pair) {
    return new PemKeyCertOptions().setCertValue(pair.cert()).setKeyValue(pair.key());
  }
}
