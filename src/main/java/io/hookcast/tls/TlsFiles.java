package io.hookcast.tls;

import io.hookcast.config.ConfigException;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.TlsConfig;

/**
 * The step after parsing that reads the listeners' PEM files, so that a missing or unreadable one stops startup (or
 * a reload) naming its key rather than failing the listener later. The configuration itself only holds the paths.
 * Blocking: for {@code main} or a worker thread.
 */
public final class TlsFiles {

  private TlsFiles() {
  }

  /** @throws ConfigException naming the key of the first file that is missing, unreadable or holds no PEM of its kind */
  public static void check(HookcastConfig config) {
    check(config.http().tls(), "http.tls.");
    check(config.admin().tls(), "admin.tls.");
  }

  private static void check(TlsConfig tls, String prefix) {
    if (tls != null) {
      PemPair.read(tls.certFile(), prefix + "certFile", tls.keyFile(), prefix + "keyFile");
    }
  }
}
