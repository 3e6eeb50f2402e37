package io.hookcast.store;

import java.util.List;
import java.util.Set;

/**
 * The scheduler of the node that accepts, as its store sees it. An accept leases each new delivery straight to it when
 * it has room ({@link #reserve}), in the accept's own transaction, and hands it over with its message once committed
 * ({@link #leased}): the first attempt needs no claim and no read of the body. What it has no room for is stored
 * pending and announced ({@link #due}), to be claimed.
 */
public interface DueDeliveries {

  /**
   * Room for one delivery to a backend and its body's bytes, held from {@link #reserve} until the delivery is settled
   * or given back.
   */
  record Slot(String backend, String owner, long leaseMs, long bytes) {
  }

  /**
   * Takes room for one more delivery to {@code backend}, with a body of {@code bytes}, now; called from the store's
   * thread, so it must be safe to call from any thread.
   *
   * @return the slot, or {@code null} when the backend has no room on this node, or the node no room for the body
   */
  Slot reserve(String backend, long bytes);

  /** Gives back a slot whose accept did not commit; from any thread. */
  void unreserve(Slot slot);

  /** On the subscriber's context: deliveries leased to it through {@link #reserve}, each with its message. */
  void leased(List<ClaimedDelivery> deliveries);

  /** On the subscriber's context: {@code backends} have deliveries due now in the store, for a claim. */
  void due(Set<String> backends);
}
