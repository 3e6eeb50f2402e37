package io.hookcast.config;

import java.util.List;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The admin listener: health, readiness, metrics, the operator API and its dashboard, on its own port so that no
 * webhook path is ever shadowed. Loopback by default: set {@code host} to 0.0.0.0 where probes come from outside
 * (Kubernetes), which then needs a {@code token}.
 *
 * @param tls        HTTPS on this listener, or {@code null} for plain HTTP
 * @param token      the bearer token the operator API asks for, or {@code null} for none (loopback hosts only)
 * @param recentSync how many recent sync webhooks this node keeps for the operator API; 0 keeps none
 * @param redactHeaders headers the operator API and the dashboard show as {@value #REDACTED} (backends still get
 *                      them); the signature headers of the routes' {@code verify} schemes are added to these
 */
public record AdminConfig(String host, int port, TlsConfig tls, Secret token, int recentSync, List<String> redactHeaders) {

  public static final String REDACTED = "<redacted>";

  public AdminConfig {
    redactHeaders = List.copyOf(redactHeaders);
  }

  /**
   * Only what is loopback without asking DNS: {@code localhost}, 127.0.0.0/8 and ::1 (with or without brackets). A name
   * that resolves to a loopback address today may not tomorrow.
   */
  public static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.toLowerCase(Locale.ROOT).equals("localhost")) {
      return true;
    }
    if (!NetUtil.isValidIpV4Address(bare) && !NetUtil.isValidIpV6Address(bare)) {
      return false;
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
