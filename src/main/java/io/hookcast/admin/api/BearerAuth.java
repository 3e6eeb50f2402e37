package io.hookcast.admin.api;

import io.hookcast.config.Secret;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code Authorization: Bearer <admin.token>} on every {@code /api} call. A handler of a few lines rather than
 * vertx-auth: there is one static token and no user, role or token format to validate. Without a token every call
 * passes; the configuration allows that on a loopback admin host only.
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
    if (token == null || matches(context.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      context.next();
      return;
    }
    context.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("error", "this API needs the header Authorization: Bearer <admin.token>").encode());
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
