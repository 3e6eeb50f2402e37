package io.hookcast.crypto;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;

import java.util.function.Supplier;

/**
 * Where the HMACs and digests of a whole webhook body are computed. Those of a large body take tens of milliseconds
 * (25 MiB: 20-30 ms per key once warm, about ten times that cold), and a sender needs no secret to make a verifying
 * route compute every key's: on an event loop, that would hold up every connection the loop serves. So a body over
 * {@link #IN_PLACE_MAX_BYTES} is hashed on a worker thread and the result comes back on the caller's context; a smaller
 * one, quick to hash, in place.
 * <p>
 * Not on Vert.x's default worker pool: the embedded store's JDBC calls run there, and forged bodies would then hold up
 * the webhooks being stored. The ingress (verification, dedup digests) and deliveries (signing) have a pool each, so
 * that forged webhooks, which only reach the first, never hold a delivery up until its deadline. Each pool is one per
 * node, shared by name by the verticles that open it, and ends when the last of them closes it.
 */
public final class BodyHashing {

  /**
   * Bodies of at most this many bytes are hashed in place. Measured on two cores: one HMAC-SHA256 of 64 KiB takes
   * about 65 µs, a trip to a worker thread and back about 13 µs. A much smaller body would pay for the trip about what
   * hashing it in place costs; at this size an event loop is held well under a millisecond per key, and the common
   * webhooks (a few KiB to tens of KiB) never make the trip.
   */
  public static final int IN_PLACE_MAX_BYTES = 64 * 1024;
  /**
   * Half the cores each, at least one: hashing is CPU alone, so more threads would finish no sooner, and a flood of
   * forged bodies leaves the event loops (one per core) at least half the machine.
   */
  private static final int POOL_SIZE = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private final WorkerExecutor workers;

  private BodyHashing(WorkerExecutor workers) {
    this.workers = workers;
  }

  /** The ingress's: signatures of incoming webhooks, digests of their bodies. */
  public static BodyHashing forIngress(Vertx vertx) {
    return new BodyHashing(vertx.createSharedWorkerExecutor("hookcast-ingress-hashing", POOL_SIZE));
  }

  /** The forwarders': signatures of deliveries. */
  public static BodyHashing forDeliveries(Vertx vertx) {
    return new BodyHashing(vertx.createSharedWorkerExecutor("hookcast-delivery-signing", POOL_SIZE));
  }

  /**
   * What {@code hash} computes over {@code body}: at once when the body is small, else on a worker thread, the future
   * then completing on the caller's context. Unordered: webhooks from one event loop do not wait for each other.
   *
   * @param hash thread-safe and free of I/O; it may run on any thread
   */
  public <T> Future<T> run(Buffer body, Supplier<T> hash) {
    return body.length() <= IN_PLACE_MAX_BYTES ? Future.succeededFuture(hash.get()) : workers.executeBlocking(hash::get, false);
  }

  /** Lets go of this handle on the pool; the pool ends with the last one. */
  public Future<Void> close() {
    return workers.close();
  }
}
