package io.hookcast.forward;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveryQueueTest {

  private static final int WAITERS = 50_000;

  /** Waiters whose deadline passed while they queued finish as soon as they get the slot, inside release(). */
  @Test
  void aLongQueueOfWaitersThatFinishAtOnceIsReleasedWithoutGrowingTheStack() {
    DeliveryQueue queue = new DeliveryQueue(1, WAITERS);
    AtomicInteger ran = new AtomicInteger();
    assertTrue(queue.offer(ran::incrementAndGet));
    for (int i = 0; i < WAITERS; i++) {
      assertTrue(queue.offer(() -> {
        ran.incrementAndGet();
        queue.release();
      }));
    }
    assertFalse(queue.offer(ran::incrementAndGet), "the queue took more than maxQueued");

    queue.release();

    assertEquals(WAITERS + 1, ran.get());
    assertTrue(queue.drained().succeeded(), "slots were not returned");
  }

  @Test
  void waitersRunInOrderAsSlotsAreReleasedAndNoMoreThanMaxInFlightRunAtOnce() {
    DeliveryQueue queue = new DeliveryQueue(2, 10);
    List<Integer> started = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int number = i;
      assertTrue(queue.offer(() -> started.add(number)));
    }
    assertEquals(List.of(0, 1), started);
    assertFalse(queue.drained().isComplete());

    queue.release();
    assertEquals(List.of(0, 1, 2), started);
    for (int i = 0; i < 4; i++) {
      queue.release();
    }
    assertEquals(List.of(0, 1, 2, 3, 4), started);
    assertTrue(queue.drained().succeeded());
  }
}
