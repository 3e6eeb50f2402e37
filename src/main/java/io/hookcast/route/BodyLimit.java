package io.hookcast.route;

/**
 * The largest body a route takes, what sets it, for the 413's error, and what each of its bytes costs the node's
 * byte budget.
 *
 * @param bytes  {@code http.maxBodyBytes}, or on an async route the most its store keeps in one body, when that is less
 * @param copies how many times the node holds a body of the route while its webhook is in progress: once as read,
 *               and on a clustered node once more for each backend of a sync route, whose hand-off to a forwarder on
 *               another node is a frame holding a copy until it is written
 */
public record BodyLimit(long bytes, String setBy, int copies) {
}
