package io.hookcast.http;

/** The headers Hookcast itself sets on an async webhook's deliveries, named once for the parts that set and read them. */
public final class HookcastHeaders {

  /** The stored message's id, also on its 202: what a backend deduplicates repeats by. */
  public static final String MESSAGE_ID = "X-Hookcast-Message-Id";
  /** The delivery's attempt number, from 1. */
  public static final String ATTEMPT = "X-Hookcast-Attempt";

  private HookcastHeaders() {
  }
}
