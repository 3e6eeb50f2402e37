package io.hookcast.store;

/** One attempt as the history has it. */
public record StoredAttempt(int attempt, AttemptRecord record) {
}
