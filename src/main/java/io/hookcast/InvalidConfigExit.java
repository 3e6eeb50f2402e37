package io.hookcast;

import io.hookcast.config.ConfigException;
import io.hookcast.logging.LogPipeline;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How a Hookcast process refuses to run with an invalid configuration, whichever launcher started it: one line on
 * stderr naming the key, exit code 2 (the usual code for a usage error). A router without a valid configuration
 * must not run, and an operator reading a stack trace at 3 a.m. has to dig for the key that is wrong.
 */
final class InvalidConfigExit {

  private static final int STATUS = 2;
  /** With {@code -instances N} every instance finds the same fault; one line is enough. */
  private static final AtomicBoolean EXITING = new AtomicBoolean();

  private InvalidConfigExit() {
  }

  /** Whether the process is ending for an invalid configuration: what fails meanwhile (a deployment) says nothing new. */
  static boolean exiting() {
    return EXITING.get();
  }

  /** From {@code main}, before anything has started. */
  static void now(ConfigException e) {
    if (!EXITING.compareAndSet(false, true)) {
      return;
    }
    LogPipeline.stop();
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
