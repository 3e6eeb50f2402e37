package io.hookcast.config;

/**
 * {@code routes[].order}: where an async route finds a webhook's order key. Deliveries to one backend with the
 * same key are made one at a time, in the order the webhooks were accepted; a webhook without a key is unordered.
 * Exactly one of the two is set.
 *
 * @param header the request header holding the key ({@code {"key": {"header": "X-Shopify-Shop-Domain"}}}), or {@code null}
 * @param json   a JSON Pointer into the body ({@code {"key": {"json": "/repository/id"}}}), or {@code null}
 */
public record OrderConfig(String header, String json) {
}
