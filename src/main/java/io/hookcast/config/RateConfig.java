package io.hookcast.config;

/**
 * A backend's delivery rate on async routes, per node ({@code backends[].rate}). The rate adapts: the backend
 * pushing back (429, 503, a {@code Retry-After}, or answers slower than {@code slowMs}) halves it at once, and
 * deliveries after that raise it back by a twentieth of {@code perSecond} at most every 200 ms, up to {@code perSecond}.
 *
 * @param perSecond the most deliveries per second this node makes to the backend
 * @param burst     how many may go at once after a quiet spell (the token bucket's size)
 * @param slowMs    an answer slower than this counts as the backend pushing back; 0 for never
 */
public record RateConfig(int perSecond, int burst, long slowMs) {
}
