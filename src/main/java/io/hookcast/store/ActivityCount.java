package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;

import java.time.Instant;

/** @param minute the start of the minute the attempts started in */
public record ActivityCount(String backend, Instant minute, AttemptOutcome outcome, long attempts) {
}
