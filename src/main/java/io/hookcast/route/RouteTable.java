package io.hookcast.route;

import io.hookcast.config.RouteConfig;

import java.util.Comparator;
import java.util.List;

/**
 * Finds the route of a webhook by its (already normalised) path: the longest route path that is the whole path or
 * a prefix of it ending at a segment boundary, so {@code /github} takes {@code /github/x} but not {@code /githubx}.
 * Paths compare case-sensitively, as URLs do; {@link #matchAsBackendsMay} says which route a backend that reads paths
 * more loosely would take the path for.
 */
public final class RouteTable {

  /** The reserved characters a route path may hold (the schema's pattern), which a backend decodes. */
  private static final String ROUTE_PATH_RESERVED = "!$&'()*+,=:@";

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

  /**
   * The route a backend may take {@code path} for, or {@code null} when none would: backends ignore letter case
   * (many do), take a suffix after {@code .} for a format (Rails' {@code /github(.:format)}, Spring's suffix match),
   * drop trailing dots and spaces (IIS) or read {@code ~} as a short-name mark (Windows), and decode the path first.
   */
  public RouteConfig matchAsBackendsMay(String path) {
    String decoded = asBackendsDecode(path);
    for (RouteConfig route : longestFirst) {
      if (coversLoosely(route.path(), decoded)) {
        return route;
      }
    }
    return null;
  }

  /**
   * The path with the percent-encodings of the reserved characters a route path may hold ({@code !$&'()*+,=:@})
   * decoded, as backends decode a path before they route it ({@code /a%40b} is {@code /a@b} to Spring, Go, Rails).
   * No {@code %25} reaches here (a double encoding is refused first), so nothing decoded forms a new encoding.
   */
  private static String asBackendsDecode(String path) {
    if (path.indexOf('%') < 0) {
      return path;
    }
    StringBuilder decoded = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      int high = c == '%' && i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(path.charAt(i + 2), 16);
      if (low >= 0) {
        char value = (char) (high * 16 + low);
        if (ROUTE_PATH_RESERVED.indexOf(value) >= 0) {
          decoded.append(value);
          i += 2;
          continue;
        }
      }
      decoded.append(c);
    }
    return decoded.toString();
  }

  /** Whether {@code routePath} takes {@code path} once letter case is ignored, and only then. */
  public static boolean coversIgnoringCase(String routePath, String path) {
    return path.regionMatches(true, 0, routePath, 0, routePath.length()) && atBoundary(path, routePath.length(), false);
  }

  private static boolean covers(String routePath, String path) {
    if (routePath.equals("/")) {
      return path.startsWith("/");
    }
    return path.startsWith(routePath) && (path.length() == routePath.length() || path.charAt(routePath.length()) == '/');
  }

  private static boolean coversLoosely(String routePath, String path) {
    return path.regionMatches(true, 0, routePath, 0, routePath.length()) && atBoundary(path, routePath.length(), true);
  }

  /**
   * Whether a route path that ends at {@code end} of {@code path} ends at a segment there; loosely, also where a
   * suffix begins that a backend may drop. The root route ends at every position.
   */
  private static boolean atBoundary(String path, int end, boolean loosely) {
    if (end == 1 || end == path.length() || path.charAt(end) == '/') {
      return true;
    }
    return loosely && (path.charAt(end) == '.' || path.charAt(end) == '~' || path.startsWith("%20", end));
  }
}
