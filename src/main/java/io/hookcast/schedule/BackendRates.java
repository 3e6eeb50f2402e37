package io.hookcast.schedule;

import io.hookcast.config.RateConfig;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's rates of the backends it delivers to with a {@code backends[].rate}, as each lane's
 * {@link AdaptiveRate} last set them, for the operator API (the gauge says how fast, this says why too) and for the
 * lanes of the scheduler that a reload puts in place, which take each rate up where it was. One per
 * node, in its parts, because the scheduler runs on one instance's event loop while the admin listener of any
 * instance answers; written by the lanes, read by the admin verticles, so each entry is an immutable snapshot.
 */
public final class BackendRates {

  /**
   * One backend's rate at its last change.
   *
   * @param perSecond   the configured rate
   * @param current     the rate now, lowered while the backend pushes back
   * @param reason      the last push-back while the rate is below {@code perSecond}, else "configured"
   * @param pausedUntil until when deliveries wait for the backend's {@code Retry-After}: kept as set, so it may be
   *                    past (a pause ends with no outcome to report it), {@link Instant#EPOCH} when there was none
   */
  public record Rate(int perSecond, double current, String reason, Instant pausedUntil) {

    /** Whether deliveries still wait for the backend's {@code Retry-After} at {@code now}. */
    public boolean pausedAt(Instant now) {
      return pausedUntil.isAfter(now);
    }
  }

  private final Map<String, Rate> byBackend = new ConcurrentHashMap<>();

  /** The rate of {@code backend} on this node; {@code null} when no lane here delivers to it with a rate. */
  public Rate of(String backend) {
    return byBackend.get(backend);
  }

  /** From the lane's event loop, where the rate is confined: a snapshot of it now. */
  void update(String backend, RateConfig config, AdaptiveRate rate) {
    byBackend.put(backend, new Rate(config.perSecond(), rate.perSecond(), rate.reason(), Instant.ofEpochMilli(rate.pausedUntil())));
  }

  /** Keeps the rates of {@code backends} only: a starting scheduler's, whose lanes deliver to them with a rate. */
  void retain(Collection<String> backends) {
    byBackend.keySet().retainAll(backends);
  }
}
