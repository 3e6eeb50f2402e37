package io.hookcast.store;

/**
 * What an operator's action on one message did.
 *
 * @param found      whether the message (and the backend, when one was named) exists
 * @param deliveries how many deliveries it changed
 */
public record Changed(boolean found, int deliveries) {
}
