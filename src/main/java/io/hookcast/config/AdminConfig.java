package io.hookcast.config;

import java.util.List;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * {@code admin} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from the
 * schema. The admin listener has a port of its own so that no webhook path is ever shadowed.
 *
 * @param tls   {@code null} for plain HTTP
 * @param token with where it was read from (the file or a variable); {@code null} only on a loopback host, which the
 *              parser checks because the operator API shows and resends stored webhooks
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
