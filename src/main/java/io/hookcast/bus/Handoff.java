package io.hookcast.bus;

/**
 * A webhook handed to one backend's forwarders by a fan-out, which waits for the result at its own address
 * instead of registering a reply handler (and a timer) per backend.
 *
 * @param webhook  the webhook, shared by every backend's hand-off
 * @param replyTo  where the forwarder sends its {@link Outcome}: the fan-out's reply inbox, on whichever node it runs
 * @param exchange which webhook of that inbox the result belongs to
 * @param slot     which backend of that webhook's route: its place in the route's backend list
 */
public record Handoff(Webhook webhook, String replyTo, long exchange, int slot) {
}
