package io.hookcast.store;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;

/**
 * The durable side of asynchronous routes. The ingress only ever calls {@link #accept}; the scheduler claims what is
 * due, delivers it through the forwarders and records each attempt. Implementations run on the Vert.x SQL client;
 * the scheduler knows nothing of SQL.
 */
public interface DeliveryStore {

  /**
   * Stores the message and one pending delivery per backend in one committed transaction, or fails (the store is
   * down, full or over quota) with nothing stored: the caller answers 503. Completes only once committed durably.
   * Completes on the caller's context.
   */
  Future<Accepted> accept(NewMessage message);

  /**
   * Makes {@code scheduler}, running on the caller's context, the one that accepts on this node lease their new
   * deliveries to, and tells it of deliveries due now (see {@link DueDeliveries}).
   *
   * @return unsubscribes it
   */
  Runnable subscribe(DueDeliveries scheduler);

  /**
   * The most deliveries one claim leases, whatever its limit: a claim reads their bodies in one statement, and
   * PostgreSQL binds at most 65,535 parameters to one; a lane with more room claims again.
   */
  int MAX_CLAIM = 500;

  /**
   * Leases up to {@code limit} (at most {@link #MAX_CLAIM}) due deliveries of {@code backend} to {@code owner} until now + {@code leaseMs}: pending
   * ones whose next attempt is due, and those whose lease expired (their holder is presumed dead). A delivery leased
   * to one owner is never returned to another before its lease expires. The bodies of the deliveries returned add up
   * to at most {@code maxBytes} (a claim reads the sizes first and the bodies of those it takes only), except that with
   * {@code firstOfAnySize} the first is taken whatever its size.
   */
  Future<List<ClaimedDelivery>> claim(String backend, String owner, int limit, long maxBytes, boolean firstOfAnySize, long leaseMs);

  /**
   * Records an attempt and what follows from it, only if {@code delivery}'s lease is still held (no one took it over).
   *
   * @param next {@link DeliveryStatus#DELIVERED}, {@link DeliveryStatus#DEAD} or {@link DeliveryStatus#PENDING}
   * @param nextAttemptAt when {@code next} is pending: when the next attempt is due
   * @return whether it was recorded; false when the lease was lost
   */
  Future<Boolean> record(ClaimedDelivery delivery, AttemptRecord attempt, DeliveryStatus next, Instant nextAttemptAt);

  /**
   * Gives a claimed delivery back without an attempt (no forwarder took it), due again at {@code nextAttemptAt}.
   *
   * @return whether the lease was still held
   */
  Future<Boolean> release(ClaimedDelivery delivery, Instant nextAttemptAt);

  /** Deliveries not yet delivered, dead or cancelled, per backend that has any. */
  Future<List<Backlog>> backlog();

  /** Deletes, in batches, messages whose deliveries all ended before {@code endedBefore}, and older dedup keys. */
  Future<Integer> purge(Instant endedBefore);

  /** Succeeds when the store answers a query: for readiness. */
  Future<Void> ping();

  /** False while accepts fail: the latest one failed, within the last half minute, and none has committed since. */
  boolean accepting();

  /** Tells {@code outages} from now on when accepts start failing and when one commits again; one per store. */
  void watch(AcceptOutages outages);

  Future<Void> close();
}
