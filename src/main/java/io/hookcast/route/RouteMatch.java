package io.hookcast.route;

import java.util.List;

/** What the routes say of a request's path. */
public sealed interface RouteMatch {

  /**
   * @param handler what handles the route's webhooks
   * @param methods the methods the route takes
   * @param body    the largest body it takes
   */
  record Found(RouteHandler handler, List<String> methods, BodyLimit body) implements RouteMatch {
  }

  /** No route takes the path. */
  record None() implements RouteMatch {
  }

  /**
   * The path matches one route as written and another, {@code routePath}, as a backend may read it (see
   * {@link RouteTable#matchAsBackendsMay}). Refused: that backend would take it for a webhook of that route, which it
   * did not pass through, its signature check included.
   *
   * @param byCase whether letter case alone makes the difference ({@code /GitHub/x}), rather than a suffix
   *               ({@code /github.json})
   */
  record Ambiguous(String routePath, boolean byCase) implements RouteMatch {
  }
}
