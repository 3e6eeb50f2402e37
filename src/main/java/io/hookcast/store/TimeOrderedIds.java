package io.hookcast.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids of stored rows: UUIDs of version 7 (RFC 9562), the millisecond of their making first, so that new messages
 * land at the end of the primary-key index instead of anywhere in it, and a store's inserts append. Drawn from
 * {@link ThreadLocalRandom}: {@link UUID#randomUUID()} goes through one locked SecureRandom that every accepting
 * thread would queue on, and these ids are keys, not secrets.
 */
final class TimeOrderedIds {

  private TimeOrderedIds() {
  }

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }
}
