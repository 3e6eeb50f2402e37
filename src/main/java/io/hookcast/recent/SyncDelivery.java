package io.hookcast.recent;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.bus.DeliveryResult;

/**
 * One backend's part in a recent sync webhook: the few numbers an operator reads, not the backend's answer body,
 * which the ring would otherwise hold on to for every webhook it keeps.
 *
 * @param status     the backend's HTTP status, or the one standing for a failure to get one (502, 503, 504)
 * @param outcome    as the async history names it, so that both modes read alike
 * @param durationMs until the last answer or the failure
 * @param attempts   requests made (0 when none was: circuit open, overloaded, no forwarder)
 * @param error      the short category when there was no answer, else {@code null}
 * @param node       the node whose forwarder delivered it, when known
 */
public record SyncDelivery(int status, AttemptOutcome outcome, long durationMs, int attempts, String error, String node) {

  static SyncDelivery of(DeliveryResult result) {
    return new SyncDelivery(result.status(), AttemptOutcome.of(result.outcome()), result.durationMs(), result.attempts(),
      result.error(), result.node());
  }

  /** Whether the backend answered 2xx. */
  public boolean delivered() {
    return outcome == AttemptOutcome.DELIVERED;
  }
}
