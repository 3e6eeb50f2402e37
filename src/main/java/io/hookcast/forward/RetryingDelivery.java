package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/**
 * Attempts a delivery until it succeeds, cannot safely or usefully be repeated, or another try would miss the
 * deadline. The result reported is always the last attempt's.
 */
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
    attempt(webhook, 1, start, deadline, done);
    return done.future();
  }

  private void attempt(Webhook webhook, int number, long start, long deadline, Promise<DeliveryResult> done) {
    long attemptStart = System.nanoTime();
    call.attempt(webhook, number, deadline).onSuccess(attempt -> {
      long now = System.nanoTime();
      if (number < policy.maxAttempts() && RetryPolicy.isRetryable(attempt)) {
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(policy.delayMs(number + 1, attempt));
        // A retry expected to end after the deadline would only turn the backend's clear answer into a 504.
        if (now + delayNanos + (now - attemptStart) < deadline) {
          if (delayNanos == 0) {
            attempt(webhook, number + 1, start, deadline, done);
          } else {
            vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(delayNanos), id -> attempt(webhook, number + 1, start, deadline, done));
          }
          return;
        }
      }
      done.complete(attempt.result().withAttempts(number, TimeUnit.NANOSECONDS.toMillis(now - start)));
    });
  }
}
