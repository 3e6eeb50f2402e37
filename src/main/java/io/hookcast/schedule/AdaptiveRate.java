package io.hookcast.schedule;

import io.hookcast.bus.Outcome;
import io.hookcast.config.RateConfig;

/**
 * How fast one backend's async deliveries may go from this node: a token bucket refilled at a rate that adapts to
 * the backend, as TCP adapts its window: the backend pushing back (429, 503, a {@code Retry-After}, an answer slower
 * than {@code slowMs}) halves the rate at once and pauses deliveries for the {@code Retry-After}; deliveries after
 * that raise it by a twentieth of the configured rate at most every 200 ms, up to it. Confined to the lane's event loop; the
 * time is passed in ({@link System#currentTimeMillis()}).
 */
final class AdaptiveRate {

  /** The in-flight deliveries that answer 429 together are one signal, not one halving each. */
  private static final long DECREASE_EVERY_MS = 1_000;
  private static final int INCREASE_STEPS = 20;
  /**
   * A step up at most this often: counted per delivery, a fast backend would undo a halving within the same second
   * and the rate would never settle below what it takes.
   */
  private static final long INCREASE_EVERY_MS = 200;

  private final RateConfig config;
  /** The rate never falls below this, so that a backend that recovers is seen to. */
  private final double floor;
  private double perSecond;
  private double tokens;
  private long refilledAt;
  private long pausedUntil;
  private long lastDecrease;
  private long lastIncrease;
  private String reason = "configured";

  /**
   * @param learnt the rate the lane before this one reached ({@link BackendRates#learnt}; a reload replaces the
   *               lanes), or {@code null} to start at the configured rate: taken up where it was, so that a reload
   *               does not give a backend that pushed back its full rate and burst again
   */
  AdaptiveRate(RateConfig config, BackendRates.Rate learnt, long now) {
    this.config = config;
    this.floor = Math.max(0.1, config.perSecond() / 100.0);
    this.refilledAt = now;
    this.lastDecrease = now - DECREASE_EVERY_MS;
    if (learnt == null) {
      this.perSecond = config.perSecond();
      this.tokens = config.burst();
      return;
    }
    this.perSecond = Math.max(floor, Math.min(config.perSecond(), learnt.current()));
    this.pausedUntil = learnt.pausedUntil().toEpochMilli();
    if (perSecond < config.perSecond()) {
      this.reason = learnt.reason();
      // The push-back that lowered it may be under a second old: answers sent before the reload are the same signal.
      this.lastDecrease = now;
      this.tokens = 0;
    } else {
      this.tokens = config.burst();
    }
  }

  /** Takes the token for one delivery and answers 0, or answers how many ms until there will be one. */
  long take(long now) {
    if (now < pausedUntil) {
      return pausedUntil - now;
    }
    refill(now);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * 1000 / perSecond));
  }

  /** How many deliveries may go within the next second: the most the lane should hold or claim. */
  int allowance(long now) {
    if (now < pausedUntil) {
      return 0;
    }
    refill(now);
    return (int) Math.min(Integer.MAX_VALUE, Math.floor(tokens + perSecond));
  }

  /** Until when deliveries wait for the backend's {@code Retry-After}; in the past when they do not. */
  long pausedUntil() {
    return pausedUntil;
  }

  double perSecond() {
    return perSecond;
  }

  /** Why the rate is below the configured one (the last push-back), or "configured". */
  String reason() {
    return reason;
  }

  /**
   * After an attempt's outcome.
   *
   * @return the change, as a log line's end, or {@code null} when there is none worth a line (a step of the climb
   *         back, which the gauge shows)
   */
  String settled(Outcome outcome, long durationMs, long now) {
    String pushedBack = pushedBack(outcome, durationMs);
    if (pushedBack == null) {
      if (!(outcome instanceof Outcome.Delivered) || perSecond >= config.perSecond() || now - lastIncrease < INCREASE_EVERY_MS) {
        return null;
      }
      lastIncrease = now;
      perSecond = Math.min(config.perSecond(), perSecond + (double) config.perSecond() / INCREASE_STEPS);
      if (perSecond < config.perSecond()) {
        return null;
      }
      reason = "configured";
      return "back to the configured " + config.perSecond() + "/s";
    }
    refill(now);
    tokens = Math.min(tokens, 0);
    long retryAfterMs = outcome.retryAfterMs();
    boolean paused = retryAfterMs > 0 && now + retryAfterMs > pausedUntil;
    if (paused) {
      pausedUntil = now + retryAfterMs;
    }
    boolean lowered = now - lastDecrease >= DECREASE_EVERY_MS && perSecond > floor;
    if (lowered) {
      lastDecrease = now;
      perSecond = Math.max(floor, perSecond / 2);
    }
    if (!lowered && !paused) {
      return null;
    }
    reason = pushedBack;
    return (lowered ? "rate lowered to " + format(perSecond) + "/s" : "rate kept at " + format(perSecond) + "/s")
      + (paused ? ", paused for " + retryAfterMs + " ms" : "") + ": " + pushedBack;
  }

  private String pushedBack(Outcome outcome, long durationMs) {
    if (outcome instanceof Outcome.Rejected || outcome instanceof Outcome.Aborted) {
      if (outcome.retryAfterMs() >= 0) {
        return "it answered " + outcome.status() + " with Retry-After";
      }
      // These two say "too much, slow down"; a 502 or 504 says the backend is broken or slow, which its circuit
      // breaker and slowMs answer.
      if (outcome.status() == 429 || outcome.status() == 503) {
        return "it answered " + outcome.status();
      }
    }
    if (config.slowMs() > 0 && outcome.attempted() && durationMs > config.slowMs()) {
      return "an answer took " + durationMs + " ms (slowMs " + config.slowMs() + ")";
    }
    return null;
  }

  /**
   * Time paused for a {@code Retry-After} earns no tokens: a full burst the moment the pause ends is what the backend
   * asked not to get, and would only be pushed back again.
   */
  private void refill(long now) {
    long from = Math.max(refilledAt, pausedUntil);
    if (now > from) {
      tokens = Math.min(config.burst(), tokens + (now - from) * perSecond / 1000);
    }
    refilledAt = Math.max(refilledAt, now);
  }

  private static String format(double rate) {
    return rate >= 10 ? String.valueOf(Math.round(rate)) : String.format(java.util.Locale.ROOT, "%.1f", rate);
  }
}
