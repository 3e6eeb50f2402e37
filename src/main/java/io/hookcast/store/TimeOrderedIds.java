package io.hookcast.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of stored rows: UUIDs of version 7 (RFC 9562), the millisecond of their making first, so that new messages
 * land at the end of the primary-key index instead of anywhere in it, and a store's inserts append. Drawn from
 * {@link ThreadLocalRandom}: {@link UUID#randomUUID()} goes through one locked SecureRandom that every accepting
 * thread would queue on, and these ids are keys, not secrets.
 */
final class TimeOrderedIds {

  /**
   * The 12 bits after the millisecond count up within it (RFC 9562's fixed-length counter), so that ids rise with
   * every call on a node: a message's id is its place in the order of acceptance, which per-key ordering keeps.
   */
  private static final int COUNTER_BITS = 12;
  private static final long COUNTER_MASK = (1L << COUNTER_BITS) - 1;
  private static final AtomicLong LAST = new AtomicLong();

  private TimeOrderedIds() {
  }

  /** Ids made from now on sort after {@code id}, one of these; any other (a store's older ids) is left alone. */
  static void after(String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException notOne) {
      return;
    }
    if (uuid.version() == 7) {
      long high = uuid.getMostSignificantBits();
      long stamp = ((high >>> 16) << COUNTER_BITS) | (high & COUNTER_MASK);
      LAST.accumulateAndGet(stamp, Math::max);
    }
  }

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long now = System.currentTimeMillis() << COUNTER_BITS;
    long stamp = LAST.updateAndGet(last -> Math.max(now, last + 1));
    long high = ((stamp >>> COUNTER_BITS) << 16) | 0x7000L | (stamp & COUNTER_MASK);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
