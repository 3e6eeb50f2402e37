package io.hookcast.store;

import io.hookcast.bus.AttemptOutcome;

import java.time.Instant;

/**
 * One attempt as the history keeps it.
 *
 * @param startedAt    when it was sent to the forwarders
 * @param durationMs   until the answer or the failure
 * @param status       the backend's HTTP status, or null when it did not answer
 * @param outcome      what happened
 * @param error        what went wrong when there was no answer, else null
 * @param responseHead the first bytes of the backend's answer
 *                     (a U+0000 in them or in {@code error} is kept as U+FFFD: {@link StoredText})
 * @param node         the node whose forwarder made it, when known
 * @param manual       true when an operator asked for it, false for the schedule
 */
public record AttemptRecord(Instant startedAt, long durationMs, Integer status, AttemptOutcome outcome, String error,
                            String responseHead, String node, boolean manual) {

  public AttemptRecord {
    error = StoredText.of(error);
    responseHead = StoredText.of(responseHead);
  }
}
