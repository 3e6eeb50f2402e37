package io.hookcast.tls;

import io.hookcast.config.ConfigException;
import io.hookcast.config.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * HTTPS for one listener: TLS 1.2 and 1.3 only (older versions have known weaknesses and no webhook sender needs
 * them), HTTP/2 or HTTP/1.1 by ALPN, and the certificate taken anew when its files change, so that a certificate
 * renewed by an ACME client is served without a restart. Files are read on a worker thread, never an event loop.
 * A changed pair that cannot be used (a half-written file, a key that is not the certificate's) is logged with the
 * file to fix, the previous certificate stays in use, and the files are tried again at the next check: a change is
 * remembered only once it is served, so one read of a file still being written cannot make it missed for good.
 */
public final class ServerTls {

  private static final Logger LOG = LoggerFactory.getLogger("io.hookcast.tls");
  private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");
  private static final List<String> ALPN = List.of("h2", "http/1.1");

  private final Vertx vertx;
  private final TlsConfig config;
  private final String key;
  private final PemPair initial;
  /** The files' stamps ({@link #stamps}) when last served; read on worker threads, written on the listener's context. */
  private volatile List<Long> loadedStamps;
  /** The stamps of the last pair refused, so that each refusal is logged once however often retried. */
  private volatile List<Long> refusedStamps;
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
      return new ServerTls(vertx, config, key, readMatching(vertx, config, key), stamps);
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
      .compose(change -> change == null ? Future.succeededFuture()
        : server.updateSSLOptions(sslOptions(change.pair())).map(updated -> {
          // Not updated: what the files hold now is served already (files touched, or another instance's update).
          loadedStamps = change.stamps();
          if (updated) {
            LOG.info(key + ": certificate reloaded from " + config.certFile());
          }
          return null;
        }))
      .onFailure(failure -> LOG.warn(key + ": the changed certificate or key cannot be used, still serving the "
        + "previous one; tried again at the next check: " + failure.getMessage())));
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private record Change(PemPair pair, List<Long> stamps) {
  }

  /** The files' content when either changed since last served, else {@code null}. On a worker thread. */
  private Change changed() throws IOException {
    List<Long> stamps = stamps(config);
    if (stamps.equals(loadedStamps)) {
      return null;
    }
    try {
      return new Change(readMatching(vertx, config, key), stamps);
    } catch (ConfigException refused) {
      if (stamps.equals(refusedStamps)) {
        return null;
      }
      refusedStamps = stamps;
      throw refused;
    }
  }

  /** The pair, once its key is known to be the certificate's; otherwise the error names the key file. */
  private static PemPair readMatching(Vertx vertx, TlsConfig config, String key) {
    PemPair pair = PemPair.read(config.certFile(), key + ".certFile", config.keyFile(), key + ".keyFile");
    if (!KeyMatch.of(vertx, keyCert(pair))) {
      throw ConfigException.at(key + ".keyFile", "'" + config.keyFile() + "' is not the private key of the certificate in '"
        + config.certFile() + "'");
    }
    return pair;
  }

  /**
   * Each file's modification time and size. The size too: a chain written a certificate at a time ({@code cat cert.pem
   * chain.pem > fullchain.pem}) is a whole, usable leaf after the first write, and the rest may land within the same
   * modification time on a coarse file-system clock.
   */
  private static List<Long> stamps(TlsConfig config) throws IOException {
    Path cert = Path.of(config.certFile());
    Path key = Path.of(config.keyFile());
    return List.of(Files.getLastModifiedTime(cert).toMillis(), Files.size(cert), Files.getLastModifiedTime(key).toMillis(),
      Files.size(key));
  }

  private static ServerSSLOptions sslOptions(PemPair pair) {
    return new ServerSSLOptions().setUseAlpn(true).setApplicationLayerProtocols(ALPN).setEnabledSecureTransportProtocols(PROTOCOLS)
      .setKeyCertOptions(keyCert(pair));
  }

  private static PemKeyCertOptions keyCert(PemPair pair) {
    return new PemKeyCertOptions().setCertValue(pair.cert()).setKeyValue(pair.key());
  }
}
