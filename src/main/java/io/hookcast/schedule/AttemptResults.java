package io.hookcast.schedule;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.store.AttemptOutcome;

/** How the scheduler reads a forwarder's {@link DeliveryResult}. */
final class AttemptResults {

  private AttemptResults() {
  }

  /** No request reached the backend (circuit open, overloaded): not an attempt, and not the backend's answer. */
  static boolean refused(DeliveryResult result) {
    return result.attempts() == 0;
  }

  static AttemptOutcome outcome(DeliveryResult result) {
    if (result.error() == null) {
      return result.status() >= 200 && result.status() < 300 ? AttemptOutcome.DELIVERED : AttemptOutcome.REJECTED;
    }
    return result.status() == DeliveryResult.TIMED_OUT ? AttemptOutcome.TIMED_OUT : AttemptOutcome.UNREACHABLE;
  }
}
