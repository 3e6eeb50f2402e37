package io.hookcast.admin;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard's static files from the jar ({@code webroot/}) at {@code /}. No token: they hold no data, and the
 * page asks for the token to call the API. Never cached, so that an upgraded jar's page is the one a browser shows.
 * The page loads nothing but its own files and may not be framed: its buttons resend webhooks, so no other site may
 * overlay them.
 */
final class Dashboard {

  static final String WEBROOT = "webroot";
  private static final String POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none';"
    + " form-action 'self'";

  private Dashboard() {
  }

  /** After every other route: it takes whatever GET no one else did. */
  static void mount(Router router) {
    router.get("/*")
      .handler(context -> {
        context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("Content-Security-Policy", POLICY)
          .putHeader("X-Frame-Options", "DENY")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "no-referrer");
        context.next();
      })
      .handler(StaticHandler.create(WEBROOT).setCachingEnabled(false).setDirectoryListing(false));
  }
}
