package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {

  private static Attempt answered(int status, long retryAfterMs) {
    return new Attempt(DeliveryResult.answered(status, () -> List.of(), "", false, 1, "n"), Attempt.Outcome.ANSWERED, null, retryAfterMs);
  }

  @Test
  void retriesOnlyWhatTheBackendDidNotActOn() {
    for (int status : new int[] {429, 502, 503, 504}) {
      assertTrue(RetryPolicy.isRetryable(answered(status, -1)), "status " + status);
    }
    for (int status : new int[] {200, 301, 400, 401, 404, 409, 422, 500, 501}) {
      assertFalse(RetryPolicy.isRetryable(answered(status, -1)), "status " + status);
    }
    DeliveryResult failed = DeliveryResult.failed(502, "x", 1, "n");
    assertTrue(RetryPolicy.isRetryable(new Attempt(failed, Attempt.Outcome.NOT_SENT, Failure.CONNECTION_REFUSED, -1)));
    assertTrue(RetryPolicy.isRetryable(new Attempt(failed, Attempt.Outcome.NOT_SENT, Failure.CONNECT_TIMEOUT, -1)));
    assertFalse(RetryPolicy.isRetryable(new Attempt(failed, Attempt.Outcome.NOT_SENT, Failure.UNKNOWN_HOST, -1)));
    for (Failure broken : new Failure[] {Failure.CONNECTION_RESET, Failure.CONNECTION_CLOSED, Failure.INVALID_RESPONSE}) {
      assertFalse(RetryPolicy.isRetryable(new Attempt(failed, Attempt.Outcome.BROKEN, broken, -1)), broken.category());
    }
    assertFalse(RetryPolicy.isRetryable(new Attempt(failed, Attempt.Outcome.TIMED_OUT, null, -1)));
  }
}
