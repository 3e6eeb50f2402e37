package io.hookcast.recent;

import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Webhook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * What this node's sync routes did lately, for the operator API: the last {@code admin.recentSync} webhooks with each
 * backend's outcome, and per backend, deliveries per minute over the last hour. Sync webhooks are never stored, so
 * this is all an operator of a sync route can look back on.
 *
 * <p>On the sync fast path: recording takes one small record per webhook and backend, a counter increment and an
 * array write, with no lock, no JSON and no text; everything else is done when the API asks. One per node, shared
 * by every ingress and admin instance ({@code -instances}).
 */
public final class RecentSync {

  private final int capacity;
  private final AtomicReferenceArray<SyncWebhook> ring;
  private final AtomicLong written = new AtomicLong();
  private final Map<String, MinuteCounts> minutes = new ConcurrentHashMap<>();

  /** Keeps {@code capacity} webhooks (0: none). */
  public RecentSync(int capacity) {
    this.capacity = capacity;
    this.ring = new AtomicReferenceArray<>(Math.max(capacity, 1));
  }

  public int capacity() {
    return capacity;
  }

  /** {@code backend}'s per-minute counts; resolved once per route and backend, not per webhook. */
  public MinuteCounts minutes(String backend) {
    return minutes.computeIfAbsent(backend, name -> new MinuteCounts());
  }

  /** Every backend's per-minute counts that sync routes have made so far. */
  public Map<String, MinuteCounts> minutesByBackend() {
    return Collections.unmodifiableMap(minutes);
  }

  /**
   * Records a sync webhook's outcome.
   *
   * @param counts  {@link #minutes} of each of {@code backends}
   * @param results per backend, {@code null} where it was skipped
   */
  public void record(String route, Webhook webhook, long receivedAt, int status, List<String> backends, MinuteCounts[] counts,
                     List<DeliveryResult> results) {
    long now = System.currentTimeMillis();
    SyncDelivery[] deliveries = new SyncDelivery[results.size()];
    for (int i = 0; i < deliveries.length; i++) {
      DeliveryResult result = results.get(i);
      if (result != null) {
        deliveries[i] = SyncDelivery.of(result);
        counts[i].add(now, deliveries[i].delivered());
      }
    }
    if (capacity == 0) {
      return;
    }
    long sequence = written.getAndIncrement();
    // A release write is enough: the record's fields are final, and readers read the slot with a volatile get.
    ring.lazySet((int) (sequence % capacity), new SyncWebhook(sequence, webhook.requestId(), route, webhook.method(), webhook.uri(),
      receivedAt, webhook.body().length(), status, backends, Arrays.asList(deliveries), webhook.traceParent()));
  }

  /** Up to {@code limit} of the kept webhooks that {@code wanted} accepts, newest first. */
  public List<SyncWebhook> newest(int limit, Predicate<SyncWebhook> wanted) {
    List<SyncWebhook> found = new ArrayList<>(Math.min(limit, capacity));
    long end = written.get();
    for (long sequence = end - 1; sequence >= Math.max(0, end - capacity) && found.size() < limit; sequence--) {
      SyncWebhook webhook = ring.get((int) (sequence % capacity));
      // A slot may not be written yet by the thread that took its sequence, or already hold a newer webhook.
      if (webhook != null && webhook.sequence() == sequence && wanted.test(webhook)) {
        found.add(webhook);
      }
    }
    return found;
  }
}
