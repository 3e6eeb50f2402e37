package io.hookcast.forward;

import io.hookcast.bus.Outcome;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutcomeClassifierTest {

  @Test
  void a2xxIsDeliveredAndAnyOtherAnswerRejected() {
    for (int status : new int[] {200, 201, 204, 299}) {
      assertInstanceOf(Outcome.Delivered.class, OutcomeClassifier.answered(status, -1, false), "status " + status);
    }
    for (int status : new int[] {100, 301, 400, 404, 500, 503}) {
      Outcome outcome = OutcomeClassifier.answered(status, -1, false);
      assertInstanceOf(Outcome.Rejected.class, outcome, "status " + status);
      assertEquals(status, outcome.status());
      assertEquals(null, outcome.error());
      assertTrue(outcome.attempted());
    }
  }

  @Test
  void retriesOnlyWhatTheBackendDidNotActOn() {
    for (int status : new int[] {429, 503}) {
      assertTrue(OutcomeClassifier.answered(status, -1, false).retryable(), "status " + status);
    }
    for (int status : new int[] {200, 301, 400, 401, 404, 409, 422, 500, 501, 502, 504}) {
      assertFalse(OutcomeClassifier.answered(status, -1, false).retryable(), "status " + status);
    }
    assertTrue(OutcomeClassifier.unreachable(Failure.CONNECTION_REFUSED, false).retryable());
    assertTrue(OutcomeClassifier.unreachable(Failure.CONNECT_TIMEOUT, false).retryable());
    assertFalse(OutcomeClassifier.unreachable(Failure.UNKNOWN_HOST, false).retryable());
    for (Failure broken : new Failure[] {Failure.CONNECTION_RESET, Failure.CONNECTION_CLOSED, Failure.INVALID_RESPONSE}) {
      assertFalse(OutcomeClassifier.unreachable(broken, true).retryable(), broken.category());
    }
    assertFalse(new Outcome.TimedOut("late").retryable());
  }

  @Test
  void aFailureIsUnreachableWith502AndItsShortCategory() {
    Outcome outcome = OutcomeClassifier.unreachable(Failure.CONNECTION_RESET, true);
    assertEquals(Outcome.UNREACHABLE, outcome.status());
    assertEquals("connection reset", outcome.error());
  }

  @Test
  void aRejectionKeepsTheWaitTheBackendAskedFor() {
    assertEquals(7_000, OutcomeClassifier.answered(429, 7_000, false).retryAfterMs());
    assertEquals(-1, OutcomeClassifier.answered(503, -1, false).retryAfterMs());
    assertEquals(-1, OutcomeClassifier.answered(200, -1, false).retryAfterMs());
  }

  @Test
  void aFailedAnswerWithHookcastDeliveryAbortIsAbortedAndNeverRetriedButASuccessIsStillDelivered() {
    Outcome aborted = OutcomeClassifier.answered(503, 2_000, true);
    assertInstanceOf(Outcome.Aborted.class, aborted);
    assertEquals(503, aborted.status());
    assertFalse(aborted.retryable());
    assertInstanceOf(Outcome.Delivered.class, OutcomeClassifier.answered(200, -1, true));
  }

  @Test
  void aRefusalIsNotAnAttemptAndNotRetriedAtOnce() {
    Outcome refused = new Outcome.Refused(Outcome.UNAVAILABLE, "circuit open");
    assertFalse(refused.attempted());
    assertFalse(refused.retryable());
    assertEquals(503, refused.status());
  }
}
