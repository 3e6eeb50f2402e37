package io.hookcast;

import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MainTest {

  @Test
  void runsOneEventLoopPerCoreWhereVertxWouldRunTwo() {
    assertEquals(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE / 2, Main.eventLoops(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE));
  }

  @Test
  void keepsTheNumberOfEventLoopsAnOperatorGives() {
    int given = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE + 3;
    assertEquals(given, Main.eventLoops(given));
    assertEquals(1, Main.eventLoops(1));
  }
}
