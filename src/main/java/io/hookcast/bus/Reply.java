package io.hookcast.bus;

/**
 * A forwarder's answer to one {@link Handoff}, sent to the hand-off's reply address.
 *
 * @param exchange the hand-off's exchange
 * @param slot     the hand-off's slot
 * @param result   what the backend made of the webhook
 */
public record Reply(long exchange, int slot, DeliveryResult result) {
}
