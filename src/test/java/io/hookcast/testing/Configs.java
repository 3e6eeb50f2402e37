package io.hookcast.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** Hookcast configurations for tests: loopback, an ephemeral ingress port, no access log noise. */
public final class Configs {

  private Configs() {
  }

  public static JsonObject withBackends(JsonObject... backends) {
    return new JsonObject()
      .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("accessLog", false))
      .put("admin", new JsonObject().put("port", 0))
      .put("reload", new JsonObject().put("scanPeriodMs", 100))
      .put("backends", new JsonArray(List.of((Object[]) backends)));
  }

  /** Backend entries for running test backends, named in order. */
  public static JsonObject[] named(List<RecordingBackend> backends, String... names) {
    JsonObject[] entries = new JsonObject[names.length];
    for (int i = 0; i < names.length; i++) {
      entries[i] = backend(names[i], backends.get(i).url());
    }
    return entries;
  }

  public static JsonObject backend(String name, String url) {
    return new JsonObject().put("name", name).put("url", url);
  }

  public static JsonObject backend(String name, String url, long timeoutMs) {
    return backend(name, url).put("timeoutMs", timeoutMs);
  }

  /** A URL on which nothing listens (and no test server will, being outside the range of ports bound to port 0). */
  public static String unreachableUrl() {
    return "http://127.0.0.1:" + HookcastProcess.freePort() + "/";
  }
}
