package io.hookcast;

import io.hookcast.config.ConfigException;

/**
 * How a Hookcast process refuses to run with an invalid configuration, whichever launcher started it: one line on
 * stderr naming the key, exit code 2 (the usual code for a usage error). A router without a valid configuration
 * must not run, and an operator reading a stack trace at 3 a.m. has to dig for the key that is wrong.
 */
final class InvalidConfigExit {

  static final int STATUS = 2;

  private InvalidConfigExit() {
  }

  /** From {@code main}, before anything has started. */
  static void now(ConfigException e) {
    System.err.println("hookcast: invalid configuration: " + e.getMessage());
    System.exit(STATUS);
  }

  /**
   * From a verticle's start, on an event loop: {@link System#exit} there would block the loop until the shutdown
   * hooks are done, and one of them (the launcher's) closes this very Vert.x.
   */
  static void fromEventLoop(ConfigException e) {
    new Thread(() -> now(e), "hookcast-invalid-config").start();
  }
}
