package io.hookcast.route;

import io.hookcast.config.RouteConfig;

import java.util.Comparator;
import java.util.List;

/**
 * Finds the route of a webhook by its (already normalised) path: the longest route path that is the whole path or
 * a prefix of it ending at a segment boundary, so {@code /github} takes {@code /github/x} but not {@code /githubx}.
 * Paths compare case-sensitively, as URLs do; {@link #matchIgnoringCase} says which route a backend that ignores
 * case would take the path for.
 */
public final class RouteTable {

  private final List<RouteConfig> longestFirst;

  public RouteTable(List<RouteConfig> routes) {
    this.longestFirst = routes.stream().sorted(Comparator.comparingInt((RouteConfig route) -> route.path().length()).reversed()).toList();
  }

  /** The matching route, or {@code null} when none does. */
  public RouteConfig match(String path) {
    for (RouteConfig route : longestFirst) {
      if (covers(route.path(), path)) {
        return route;
      }
    }
    return null;
  }

  /** The route that would match if letter case were ignored, or {@code null} when none would. */
  public RouteConfig matchIgnoringCase(String path) {
    for (RouteConfig route : longestFirst) {
      if (coversIgnoringCase(route.path(), path)) {
        return route;
      }
    }
    return null;
  }

  private static boolean covers(String routePath, String path) {
    if (routePath.equals("/")) {
      return path.startsWith("/");
    }
    return path.startsWith(routePath) && (path.length() == routePath.length() || path.charAt(routePath.length()) == '/');
  }

  private static boolean coversIgnoringCase(String routePath, String path) {
    if (routePath.equals("/")) {
      return path.startsWith("/");
    }
    return path.regionMatches(true, 0, routePath, 0, routePath.length())
      && (path.length() == routePath.length() || path.charAt(routePath.length()) == '/');
  }
}
