package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.util.List;

/** The whole, validated configuration of one Hookcast node. Nothing downstream reads raw JSON. */
public record HookcastConfig(HttpConfig http, DeliveryConfig delivery, List<BackendConfig> backends, DemoConfig demo) {

  /** @throws ConfigException naming the first key that is wrong */
  public static HookcastConfig fromJson(JsonObject json) {
    return ConfigParser.parse(json);
  }
}
