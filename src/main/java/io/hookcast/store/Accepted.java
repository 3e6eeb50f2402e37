package io.hookcast.store;

/**
 * What the store made of a {@link NewMessage}.
 *
 * @param id        the message id (the first message's when this one is a duplicate)
 * @param duplicate true when an earlier message of the same route and sender id was kept instead; nothing new is stored
 */
public record Accepted(String id, boolean duplicate) {
}
