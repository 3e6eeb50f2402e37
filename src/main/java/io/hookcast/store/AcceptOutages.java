package io.hookcast.store;

import java.time.Duration;

/**
 * Hears when a store stops accepting (its accepts fail, and their senders are answered 503: the store is down, hangs,
 * is out of disk or cannot keep up) and when an accept commits again. A sender such as GitHub does not send a refused
 * webhook again by itself, so a person has to know; the store itself only logs.
 */
public interface AcceptOutages {

  /**
   * @param why              one line naming the store and the cause, the same as the log's
   * @param refusedSinceStart accepts that failed since the store was opened, this one included
   */
  void began(String why, long refusedSinceStart);

  /**
   * @param why              one line naming the store, how long accepts failed and how many
   * @param refused          accepts that failed since {@link #began}
   * @param lasted           from the first of them to the commit that ended it
   * @param refusedSinceStart accepts that failed since the store was opened: a receiver that missed an outage (its
   *                         alerts held back by a quiet period) can tell from it
   */
  void ended(String why, long refused, Duration lasted, long refusedSinceStart);
}
