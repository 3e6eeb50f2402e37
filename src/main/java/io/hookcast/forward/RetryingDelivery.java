package io.hookcast.forward;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.concurrent.TimeUnit;

/** Attempts a delivery until it succeeds, cannot usefully be repeated, or the next try would miss the deadline. */
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
    call.attempt(webhook, deadline).onSuccess(attempt -> {
      if (number < policy.maxAttempts() && RetryPolicy.isRetryable(attempt)) {
        long delayMs = policy.delayMs(number + 1, attempt);
        // A retry that cannot even start before the deadline would only turn a clear answer into a 504.
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) < deadline) {
          if (delayMs == 0) {
            attempt(webhook, number + 1, start, deadline, done);
          } else {
            vertx.setTimer(delayMs, id -> attempt(webhook, number + 1, start, deadline, done));
          }
          return;
        }
      }
      done.complete(attempt.result().withAttempts(number, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    });
  }
}
