package io.hookcast.work;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where work over a whole webhook body is done: its HMACs and digests, and reading the values a route's conditions
 * and order key need from it. Over a large body this takes tens of milliseconds (an HMAC of 25 MiB: 20-30 ms per key
 * once warm, about ten times that cold), and a sender needs no secret to make a verifying route compute every key's:
 * on an event loop, that would hold up every connection the loop serves. So a body over {@link #IN_PLACE_MAX_BYTES}
 * is worked on on a worker thread and the result comes back on the caller's context; a smaller one, quick to do, in
 * place.
 * <p>
 * Not on Vert.x's default worker pool: the embedded store's JDBC calls run there, and forged bodies would then hold up
 * the webhooks being stored. The ingress (verification, digests, conditions) and deliveries (signing) have a pool
 * each, so that forged webhooks, which only reach the first, never hold a delivery up until its deadline. Each pool is
 * one per node, shared by name by the verticles that open it, and ends when the last of them closes it.
 */
public final class BodyWork {

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

  /**
   * The longest a webhook's work waits for a worker of the ingress's pool before its webhook is refused (503): a
   * sender's connection is kept open for a second beyond the longest backend timeoutMs (http.idleTimeoutMs), and a
   * flood of large forged bodies must not spend that second of every webhook behind it. Deliveries' signing waits
   * within its attempt's deadline instead.
   */
  public static final long MAX_WAIT_MS = 1_000;

  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS);

  private final WorkerExecutor workers;

  private BodyWork(WorkerExecutor workers) {
    this.workers = workers;
  }

  /** The work of a webhook that waited for a worker past its bound ({@link #MAX_WAIT_MS}, or a deadline): not done. */
  public static final class Busy extends RuntimeException {
    private Busy() {
      super("the node's workers for large bodies are busy", null, false, false);
    }
  }

  /** The ingress's: signatures of incoming webhooks, digests of their bodies, the values routes read from them. */
  public static BodyWork forIngress(Vertx vertx) {
    return new BodyWork(vertx.createSharedWorkerExecutor("hookcast-ingress-hashing", POOL_SIZE));
  }

  /** The forwarders': signatures of deliveries, each bounded by its attempt's deadline. */
  public static BodyWork forDeliveries(Vertx vertx) {
    return new BodyWork(vertx.createSharedWorkerExecutor("hookcast-delivery-signing", POOL_SIZE));
  }

  /**
   * What {@code work} computes over {@code body}: at once when the body is small, else on a worker thread, the future
   * then completing on the caller's context. Unordered: webhooks from one event loop do not wait for each other.
   *
   * @param work thread-safe and free of I/O; it may run on any thread
   * @return failed with {@link Busy} when it waited for a worker longer than {@link #MAX_WAIT_MS}
   */
  public <T> Future<T> run(Buffer body, Supplier<T> work) {
    return body.length() <= IN_PLACE_MAX_BYTES ? Future.succeededFuture(work.get())
      : onWorker(System.nanoTime() + MAX_WAIT_NANOS, work);
  }

  /**
   * As {@link #run(Buffer, Supplier)}, the work not started after {@code startBy} ({@link System#nanoTime()}): a
   * delivery's signature is of no use once its attempt's deadline has passed, and computing it anyway would hold up
   * the signatures queued behind it.
   */
  public <T> Future<T> run(Buffer body, long startBy, Supplier<T> work) {
    return body.length() <= IN_PLACE_MAX_BYTES ? Future.succeededFuture(work.get()) : onWorker(startBy, work);
  }

  private <T> Future<T> onWorker(long startBy, Supplier<T> work) {
    return workers.executeBlocking(() -> {
      if (System.nanoTime() - startBy > 0) {
        throw new Busy();
      }
      return work.get();
    }, false);
  }

  /** Lets go of this handle on the pool; the pool ends with the last one. */
  public Future<Void> close() {
    return workers.close();
  }
}
