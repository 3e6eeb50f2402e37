package io.hookcast.route;

/**
 * The largest body a route takes, and what sets it, for the 413's error: {@code http.maxBodyBytes}, or on an async
 * route the most its store keeps in one body, when that is less.
 */
public record BodyLimit(long bytes, String setBy) {
}
