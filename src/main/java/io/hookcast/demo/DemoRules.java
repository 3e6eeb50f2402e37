package io.hookcast.demo;

import io.vertx.core.buffer.Buffer;

/** The original proof of concept's backend rules, checked in this order. */
public final class DemoRules {

  /** Bodies larger than this are acknowledged without looking inside. */
  static final int BIG_PAYLOAD_BYTES = 64 * 1024;

  public record Response(int status, String body) {
  }

  private DemoRules() {
  }

  public static Response responseTo(String backendName, Buffer body) {
    if (body.length() > BIG_PAYLOAD_BYTES) {
      return new Response(200, "Big payload of 64KB at backend " + backendName);
    }
    String text = body.toString();
    if (text.contains("backend_" + backendName)) {
      return new Response(200, "Request processed on backend " + backendName);
    }
    if (text.contains("fail_" + backendName)) {
      return new Response(404, "Major failure on backend " + backendName + "!");
    }
    if (text.contains("fail_all")) {
      return new Response(404, "All failing! I'm backend " + backendName);
    }
    return new Response(200, "Wrong backend but ok!");
  }
}
