package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/** Attempts a delivery until it succeeds, cannot usefully be repeated, or another try would miss the deadline. */
final class RetryingDelivery {

  private final Vertx vertx;
  private final BackendCall call;
  private final RetryPolicy policy;

  RetryingDelivery(Vertx vertx, BackendCall call, RetryPolicy policy) {
    this.vertx = vertx;
    this.call = call;
    this.policy = policy;
  }

  /** @param deadline {@link System#nanoTime()} by which the final answer must be complete */
  Future<DeliveryResult> deliver(Webhook webhook, long start, long deadline) {
    Promise<DeliveryResult> done = Promise.promise();
    attempt(webhook, 1, null, start, deadline, done);
    return done.future();
  }

  private void attempt(Webhook webhook, int number, Attempt previous, long start, long deadline, Promise<DeliveryResult> done) {
    long attemptStart = System.nanoTime();
    call.attempt(webhook, deadline).onSuccess(attempt -> {
      long now = System.nanoTime();
      if (number < policy.maxAttempts() && RetryPolicy.isRetryable(attempt)) {
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(policy.delayMs(number + 1, attempt));
        // A retry expected to end after the deadline would only turn the backend's clear answer into a 504.
        if (now + delayNanos + (now - attemptStart) < deadline) {
          if (delayNanos == 0) {
            attempt(webhook, number + 1, attempt, start, deadline, done);
          } else {
            vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(delayNanos), id -> attempt(webhook, number + 1, attempt, start, deadline, done));
          }
          return;
        }
      }
      // A retry cut off by the deadline says less than the answer before it.
      Attempt reported = attempt.outcome() == Attempt.Outcome.TIMED_OUT && previous != null ? previous : attempt;
      done.complete(reported.result().withAttempts(number, TimeUnit.NANOSECONDS.toMillis(now - start)));
    });
  }
}
