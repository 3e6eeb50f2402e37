package io.hookcast.admin;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard's static files from the jar ({@code webroot/}) at {@code /}. No token: they hold no data, and the
 * page asks for the token to call the API. Never cached, so that an upgraded jar's page is the one a browser shows.
 */
final class Dashboard {

  static final String WEBROOT = "webroot";

  private Dashboard() {
  }

  /** After every other route: it takes whatever GET no one else did. */
  static void mount(Router router) {
    router.get("/*")
      .handler(context -> {
        context.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        context.next();
      })
      .handler(StaticHandler.create(WEBROOT).setCachingEnabled(false).setDirectoryListing(false));
  }
}
