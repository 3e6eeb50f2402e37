package io.hookcast.bus;

import io.hookcast.config.HookcastConfig;
import io.vertx.core.Vertx;

/**
 * Registers Hookcast's message codecs, and on a clustered node the {@link FrameGuard} that refuses frames they
 * cannot read, on a Vert.x instance. Once per instance: registering a codec twice throws, so a node registers them
 * when it builds what its verticles share (however many {@code -instances} it runs).
 */
public final class Codecs {

  private Codecs() {
  }

  /** @param maxBodyBytes the largest webhook body a frame may carry */
  public static void register(Vertx vertx, String nodeName, long maxBodyBytes) {
    vertx.eventBus().registerDefaultCodec(Handoff.class, new HandoffCodec(nodeName, maxBodyBytes));
    vertx.eventBus().registerDefaultCodec(Reply.class, new ReplyCodec(nodeName));
    vertx.eventBus().registerDefaultCodec(HookcastConfig.class, new LocalOnlyCodec<>(HookcastConfig.class));
    // Only frames from other nodes can be unreadable; on a single node the guard would only cost every message a step.
    if (vertx.isClustered()) {
      vertx.eventBus().addInboundInterceptor(new FrameGuard(vertx, nodeName));
    }
  }
}
