package io.hookcast.recent;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Outcome;
import io.hookcast.bus.Webhook;
import io.hookcast.forward.OutcomeClassifier;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentSyncTest {

  private static final List<String> BACKENDS = List.of("ci", "audit");

  @Test
  void theRingKeepsTheNewestWebhooksNewestFirst() {
    RecentSync recent = new RecentSync(3);
    for (int i = 0; i < 5; i++) {
      record(recent, "/hooks/" + i, 200, 200);
    }
    List<SyncWebhook> kept = recent.newest(10, webhook -> true);
    assertEquals(List.of("/hooks/4", "/hooks/3", "/hooks/2"), kept.stream().map(SyncWebhook::path).toList());
    assertEquals(List.of("/hooks/4"), recent.newest(1, webhook -> true).stream().map(SyncWebhook::path).toList());
    assertEquals(List.of("/hooks/3"), recent.newest(10, webhook -> webhook.path().endsWith("3")).stream().map(SyncWebhook::path).toList());
  }

  @Test
  void eachBackendsOutcomeIsKeptWithoutItsAnswerAndASkippedOneIsNull() {
    RecentSync recent = new RecentSync(10);
    MinuteCounts[] counts = BACKENDS.stream().map(recent::minutes).toArray(MinuteCounts[]::new);
    Webhook webhook = new Webhook("req-1", "POST", "/hooks/x", MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("12345"));
    recent.record("/hooks", webhook, 1_000, 502, BACKENDS, counts,
      Arrays.asList(DeliveryResult.unanswered(new Outcome.Unreachable("connection refused", true), 7, "node-a"), null));

    SyncWebhook kept = recent.newest(1, w -> true).get(0);
    assertEquals("req-1", kept.requestId());
    assertEquals(5, kept.size());
    assertEquals(502, kept.status());
    assertEquals(new SyncDelivery(502, AttemptOutcome.UNREACHABLE, 7, 1, "connection refused", "node-a"), kept.deliveries().get(0));
    assertEquals("unreachable", kept.deliveries().get(0).outcome().label());
    assertNull(kept.deliveries().get(1));
  }

  @Test
  void aCapacityOfZeroKeepsNoWebhookButStillCountsDeliveries() {
    RecentSync recent = new RecentSync(0);
    record(recent, "/hooks/a", 200, 500);
    assertTrue(recent.newest(10, webhook -> true).isEmpty());
    long minute = System.currentTimeMillis() / 60_000 * 60_000;
    assertArrayEquals(new long[] {1, 0}, recent.minutesByBackend().get("ci").at(minute));
    assertArrayEquals(new long[] {0, 1}, recent.minutesByBackend().get("audit").at(minute));
  }

  @Test
  void minuteCountsForgetAMinuteOnceTheHourHasComeRoundToItsBucket() {
    MinuteCounts counts = new MinuteCounts();
    counts.add(60_000, true);
    counts.add(60_001, false);
    counts.add(119_999, true);
    assertArrayEquals(new long[] {2, 1}, counts.at(60_000));
    counts.add(60_000 + 60 * 60_000, false);
    assertArrayEquals(new long[] {0, 1}, counts.at(60_000 + 60 * 60_000));
    assertArrayEquals(new long[] {0, 0}, counts.at(60_000), "an hour-old minute");
  }

  private static void record(RecentSync recent, String path, int firstStatus, int secondStatus) {
    MinuteCounts[] counts = BACKENDS.stream().map(recent::minutes).toArray(MinuteCounts[]::new);
    Webhook webhook = new Webhook("id" + path, "POST", path, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("x"));
    recent.record("/hooks", webhook, System.currentTimeMillis(), 200, BACKENDS, counts, List.of(
      DeliveryResult.answered(OutcomeClassifier.answered(firstStatus, -1, false), List::of, Buffer.buffer(), false, 1, "n"), DeliveryResult.answered(OutcomeClassifier.answered(secondStatus, -1, false), () -> List.of(Map.entry("a", "b")), Buffer.buffer(), false, 1, "n")));
  }
}
