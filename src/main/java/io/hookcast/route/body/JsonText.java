package io.hookcast.route.body;

/**
 * An object or array in a body, as compact JSON text: what {@code Json.encode} makes of it once decoded, except that a
 * name repeated in one object is written each time.
 */
public record JsonText(String json) {
}
