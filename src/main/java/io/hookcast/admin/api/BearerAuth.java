package io.hookcast.admin.api;

import io.hookcast.config.AdminConfig;
import io.hookcast.config.Secret;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <admin.token>} on every {@code /api} call. A handler of a few lines rather than
 * vertx-auth: there is one static token and no user, role or token format to validate.
 *
 * <p>Without a token (allowed on a loopback admin host only) a call passes when it was addressed to a loopback name
 * and, if a browser says where it comes from, from this listener's own page. Otherwise any web page open in the
 * operator's browser could send the API a retry (a cross-site POST needs no preflight), or read it through a DNS name
 * rebound to 127.0.0.1.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private static final String SCHEME = "Bearer ";

  /** {@code null} when no token is configured. */
  private final byte[] token;

  BearerAuth(Secret token) {
    this.token = token == null ? null : token.value().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext context) {
    if (token == null) {
      if (sameLoopbackOrigin(context.request())) {
        context.next();
      } else {
        refuse(context, 403, "without admin.token this API answers only requests to a loopback address from its own page");
      }
      return;
    }
    if (matches(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      context.next();
      return;
    }
    refuse(context, 401, "this API needs the header Authorization: Bearer <admin.token>");
  }

  private static boolean sameLoopbackOrigin(HttpServerRequest request) {
    HostAndPort authority = request.authority();
    if (authority == null || !AdminConfig.isLoopback(authority.host())) {
      return false;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    // The authority, not the Host header: over HTTP/2 a browser sends :authority and no Host.
    String host = authority.toString();
    return origin == null || origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host);
  }

  private static void refuse(RoutingContext context, int status, String error) {
    HttpServerResponse response = context.response().setStatusCode(status);
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(new JsonObject().put("error", error).encode());
  }

  /** In constant time, so that the time taken does not tell how much of a guess was right. */
  private boolean matches(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    byte[] presented = authorization.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(presented, token);
  }
}
