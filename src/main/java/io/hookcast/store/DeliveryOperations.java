package io.hookcast.store;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/**
 * What an operator does with stored webhooks: look through them, read every attempt, and send again or give up
 * deliveries. Separate from {@link DeliveryStore}, the scheduler's seam, so that neither side sees the other's calls.
 */
public interface DeliveryOperations {

  /**
   * How long an operator waits for the store's answer, in milliseconds: a store slower than this is as good as down
   * for someone looking at a page, and a read still running then is ended.
   */
  long ANSWER_MS = 5_000;

  /** Limits of {@link #messages}: a page is never larger than this. */
  int MAX_PAGE = 500;

  /**
   * Messages matching {@code query}, newest first.
   *
   * @param cursor {@link MessagePage#nextCursor()} of the previous page, or {@code null} for the first
   * @throws IllegalArgumentException (as a failed future) for a cursor this store did not hand out
   */
  Future<MessagePage> messages(MessageQuery query, int limit, String cursor);

  /**
   * One message with its headers, the first {@code bodyBytes} of its body (its summary has the whole body's size)
   * and every attempt per backend; {@code null} when there is no such message.
   */
  Future<MessageDetail> message(String id, int bodyBytes);

  /**
   * Makes the message's deliveries (or only {@code backend}'s) due now as a manual attempt, whatever their status,
   * except those being attempted at this moment.
   *
   * @param backend one backend, or {@code null} for all of the message's
   */
  Future<Changed> retry(String id, String backend);

  /** {@link #retry} for every delivery matching {@code query}, in batches; how many were made due. */
  Future<Integer> retryAll(MessageQuery query);

  /** Gives up the message's pending deliveries (or only {@code backend}'s); those being attempted finish. */
  Future<Changed> cancel(String id, String backend);

  /** Attempts counted per backend, minute and outcome, for the minutes from {@code since} on. */
  Future<List<ActivityCount>> activity(Instant since);
}
