package io.hookcast.admin.api;

import io.hookcast.config.AdminConfig;
import io.hookcast.config.HookcastConfig;
import io.hookcast.config.RouteConfig;
import io.hookcast.http.QueryValues;
import io.hookcast.verify.SignatureVerifier;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the operator API shows as {@value AdminConfig#REDACTED}: the credential headers senders use, those of
 * {@code admin.redactHeaders} and every header a route's {@code verify} scheme reads, and the query values of a webhook's path as the webhook log hides them
 * ({@code http.accessLog.query}). An operator reading a webhook needs its shape, not the sender's credentials or
 * signatures, and the dashboard shows what the API returns. Backends still receive them all.
 */
final class Redaction {

  /**
   * Always redacted, whatever {@code admin.redactHeaders} adds: an operator naming one more header must not bring
   * these into view. The last three are senders' shared tokens (GitLab and others sign nothing; the header is the
   * secret).
   */
  private static final List<String> CREDENTIALS = List.of("Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
    "X-Gitlab-Token", "X-Api-Key", "X-Auth-Token");

  private final Set<String> names;
  private final boolean fullQuery;

  private Redaction(Set<String> names, boolean fullQuery) {
    this.names = names;
    this.fullQuery = fullQuery;
  }

  static Redaction of(HookcastConfig config) {
    Stream<String> signed = config.routes().stream().map(RouteConfig::verify).filter(verify -> verify != null)
      .flatMap(verify -> SignatureVerifier.headersRead(verify.scheme()).stream());
    return new Redaction(Stream.of(CREDENTIALS.stream(), config.admin().redactHeaders().stream(), signed).flatMap(names -> names)
      .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet()), config.http().accessLog().fullQuery());
  }

  String shown(String name, String value) {
    return names.contains(name.toLowerCase(Locale.ROOT)) ? AdminConfig.REDACTED : value;
  }

  /** A webhook's path and query. */
  String path(String target) {
    return QueryValues.shown(target, fullQuery);
  }
}
