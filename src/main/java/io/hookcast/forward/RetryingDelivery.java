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

  /**
   * @param deadline    {@link System#nanoTime()} by which the final answer must be complete
   * @param maxAttempts at most this many requests, and at most the policy's
   */
  Future<DeliveryResult> deliver(Webhook webhook, long start, long deadline, int maxAttempts) {
    Promise<DeliveryResult> done = Promise.promise();
    attempt(webhook, 1, 0, start, deadline, Math.min(maxAttempts, policy.maxAttempts()), done);
    return done.future();
  }

  /** The policy's quick retries: what a fan-out may make of one hand-off. */
  int maxAttempts() {
    return policy.maxAttempts();
  }

  /** @param longestNanos the longest attempt so far, which the next one is expected to take at worst */
  private void attempt(Webhook webhook, int number, long longestNanos, long start, long deadline, int maxAttempts,
                       Promise<DeliveryResult> done) {
    long attemptStart = System.nanoTime();
    call.attempt(webhook, number, deadline).onSuccess(attempt -> {
      long now = System.nanoTime();
      long longest = Math.max(longestNanos, now - attemptStart);
      if (number < maxAttempts && RetryPolicy.isRetryable(attempt)) {
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(policy.delayMs(number + 1, attempt));
        // The last attempt's result is the one reported, so a retry cut off by the deadline would turn the
        // backend's clear answer into a 504: one is started only with room for twice the longest attempt yet.
        if (now + delayNanos + 2 * longest < deadline) {
          if (delayNanos == 0) {
            attempt(webhook, number + 1, longest, start, deadline, maxAttempts, done);
          } else {
            vertx.setTimer(TimeUnit.NANOSECONDS.toMillis(delayNanos),
              id -> attempt(webhook, number + 1, longest, start, deadline, maxAttempts, done));
          }
          return;
        }
      }
      done.complete(attempt.result().withAttempts(number, TimeUnit.NANOSECONDS.toMillis(now - start)));
    });
  }
}
