package io.hookcast.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request whose path or query is not valid percent-encoding (a {@code %} without two hex digits after it)
 * with a JSON 400, naming the query parameter where it can. vertx-web refuses such a request as well, when it
 * matches a route's path or reads the query, but in plain text naming nothing; and as it does so while routing,
 * before any handler of the operator API runs, this runs first, on a route without a path.
 */
final class PercentEncoding implements Handler<RoutingContext> {

  private static final String EXPECTED = "percent-encoding (%XX with hex digits)";

  @Override
  public void handle(RoutingContext context) {
    String path = context.request().path();
    String query = context.request().query();
    if (path != null && !valid(path)) {
      AdminVerticle.error(context, 400, "the path is not valid " + EXPECTED + ": '" + path + "'");
    } else if (query != null && !valid(query)) {
      AdminVerticle.error(context, 400, undecodable(query));
    } else {
      context.next();
    }
  }

  /** Which parameter of the query is wrong, or, when its name is, the whole query. */
  private static String undecodable(String query) {
    for (String part : query.split("&")) {
      int equals = part.indexOf('=');
      String name = equals < 0 ? part : part.substring(0, equals);
      String value = equals < 0 ? "" : part.substring(equals + 1);
      if (valid(name) && !valid(value)) {
        return URLDecoder.decode(name, StandardCharsets.UTF_8) + ": expected " + EXPECTED + ", got '" + value + "'";
      }
    }
    return "the query string is not valid " + EXPECTED + ": '" + query + "'";
  }

  /**
   * Whether every {@code %} in {@code text} starts an escape, as the decoders vertx-web uses require. A loop, not a
   * regular expression: Java's recurses once per character of such an alternation, and a long query overflowed the
   * stack of whoever could reach the port, before the token is checked.
   */
  static boolean valid(String text) {
    for (int i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i + 3)) {
      if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
