package io.hookcast.bus;

import io.hookcast.config.HookcastConfig;
import io.vertx.core.Vertx;

/** Registers Hookcast's message codecs on a Vert.x instance, once however many verticles ask. */
public final class Codecs {

  private static final String REGISTRY = "hookcast.codecs";

  private Codecs() {
  }

  public static void register(Vertx vertx) {
    // -instances N deploys the main verticle N times on one Vert.x, and registering a codec twice throws.
    if (vertx.sharedData().getLocalMap(REGISTRY).putIfAbsent("registered", true) == null) {
      vertx.eventBus().registerDefaultCodec(Webhook.class, new WebhookCodec());
      vertx.eventBus().registerDefaultCodec(DeliveryResult.class, new DeliveryResultCodec());
      vertx.eventBus().registerDefaultCodec(HookcastConfig.class, new LocalOnlyCodec<>(HookcastConfig.class));
    }
  }
}
