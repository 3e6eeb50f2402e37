package io.hookcast.schedule;

import io.hookcast.config.BackendConfig;

import java.net.URI;
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
   * @param url         the backend's URL it was learnt at
   */
  public record Rate(int perSecond, double current, String reason, Instant pausedUntil, URI url) {

    /** Whether deliveries still wait for the backend's {@code Retry-After} at {@code now}. */
    public boolean pausedAt(Instant now) {
      return pausedUntil.isAfter(now);
    }
  }

  private final Map<String, Rate> byBackend = new ConcurrentHashMap<>();

  /**
   * The rate of {@code backend} on this node as its lane last set it; {@code null} when no lane here has delivered to
   * it with a rate since the scheduler started.
   */
  public Rate of(String backend) {
    return byBackend.get(backend);
  }

  /**
   * The rate that the lane before a new one reached for {@code backend}, for the new lane to take up; {@code null}
   * when there is none or it was learnt at another URL or {@code perSecond}, since then the backend is not the one
   * that pushed back, or the operator has said how fast it may go.
   */
  Rate learnt(BackendConfig backend) {
    Rate rate = byBackend.get(backend.name());
    return rate != null && backend.rate() != null && rate.perSecond() == backend.rate().perSecond()
      && rate.url().equals(backend.url()) ? rate : null;
  }

  /** From the lane's event loop, where the rate is confined: a snapshot of it now. */
  void update(BackendConfig backend, AdaptiveRate rate) {
    byBackend.put(backend.name(), new Rate(backend.rate().perSecond(), rate.perSecond(), rate.reason(),
      Instant.ofEpochMilli(rate.pausedUntil()), backend.url()));
  }

  /** Keeps the rates of {@code backends} only: a starting scheduler's, whose lanes deliver to them with a rate. */
  void retain(Collection<String> backends) {
    byBackend.keySet().retainAll(backends);
  }
}
