package io.hookcast.ingress;

import io.hookcast.config.HttpConfig;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's budget of webhooks in progress and of body bytes held, shared by all ingress instances: what bounds
 * Hookcast's memory whatever senders do.
 */
public final class IngressLimits {

  private final int maxWebhooks;
  private final long maxBytes;
  private final AtomicInteger webhooks = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  /** The budget of {@code http.maxConcurrentWebhooks} and {@code http.maxBufferedBytes}. */
  public IngressLimits(HttpConfig http) {
    this.maxWebhooks = http.maxConcurrentWebhooks();
    this.maxBytes = http.maxBufferedBytes();
  }

  /** A webhook's share of the budget; {@code null} when the node is full. */
  Lease acquire() {
    if (webhooks.incrementAndGet() > maxWebhooks) {
      webhooks.decrementAndGet();
      return null;
    }
    return new Lease();
  }

  /** One webhook's share; released once, when the webhook is done with. */
  final class Lease {
    private long held;
    private boolean released;

    /**
     * Takes {@code n} more body bytes from the budget; false (taking nothing) when that would exceed it and another
     * webhook holds some. Alone on the node a webhook is taken whatever its copies come to ({@code http.maxBodyBytes}
     * is at most the budget, its copies on a clustered node may not be): else it could never be.
     */
    boolean reserve(long n) {
      long total = bytes.addAndGet(n);
      if (total > maxBytes && total - n - held > 0) {
        bytes.addAndGet(-n);
        return false;
      }
      held += n;
      return true;
    }

    /** Gives back {@code n} of the bytes this webhook holds: a buffer it no longer uses. */
    void release(long n) {
      if (!released) {
        held -= n;
        bytes.addAndGet(-n);
      }
    }

    void release() {
      if (!released) {
        released = true;
        bytes.addAndGet(-held);
        webhooks.decrementAndGet();
      }
    }
  }
}
