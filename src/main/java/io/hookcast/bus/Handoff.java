package io.hookcast.bus;

/**
 * One attempt at delivering a webhook to one backend, handed to its forwarders by a fan-out (sync routes) or a
 * scheduler lane (async routes): the one protocol both use. The forwarder makes exactly one HTTP request for it and
 * sends one {@link Reply} to {@code replyTo}; whether to try again is the caller's decision.
 *
 * @param webhook   the webhook, shared by every backend's hand-off
 * @param replyTo   where the forwarder sends its {@link Reply}: a {@link ReplyInbox}, on whichever node it runs
 * @param exchange  which of that inbox's waiting deliveries the outcome belongs to
 * @param slot      which backend of that delivery: its place in the route's backend list (0 for a lane's)
 * @param attempt   which attempt this is, 1 for the first, for the forwarder's log lines
 * @param timeoutMs how long the forwarder may take for it, at most the backend's {@code timeoutMs}: a sync route's
 *                  retry has what is left of its backend's deadline
 */
public record Handoff(Webhook webhook, String replyTo, long exchange, int slot, int attempt, long timeoutMs) {
}
