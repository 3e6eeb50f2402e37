package io.hookcast.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TelemetryConfigTest {

  private static TelemetryConfig parse(JsonObject telemetry, Map<String, String> environment) {
    JsonObject config = new JsonObject()
      .put("backends", new JsonArray().add(new JsonObject().put("name", "ci").put("url", "http://127.0.0.1:9/")));
    if (telemetry != null) {
      config.put("telemetry", telemetry);
    }
    return HookcastConfig.fromJson(config, environment).telemetry();
  }

  private static String refusal(JsonObject telemetry) {
    return assertThrows(ConfigException.class, () -> parse(telemetry, Map.of())).getMessage();
  }

  private static JsonObject endpoint(String url) {
    return new JsonObject().put("otlp", new JsonObject().put("endpoint", url));
  }

  @Test
  void tracingIsOffWithoutAnEndpoint() {
    TelemetryConfig off = parse(null, Map.of());
    assertFalse(off.enabled());
    assertNull(off.otlpEndpoint());
    assertEquals(1.0, off.sampleRatio());
    assertFalse(parse(new JsonObject().put("sampleRatio", 0.5), Map.of("OTEL_SERVICE_NAME", "hookcast")).enabled());
  }

  @Test
  void anEndpointInTheFileOrTheStandardVariablesTurnsTracingOn() {
    TelemetryConfig file = parse(endpoint("http://collector:4318").put("sampleRatio", 0.01), Map.of());
    assertTrue(file.enabled());
    assertEquals("http://collector:4318", file.otlpEndpoint());
    assertEquals(0.01, file.sampleRatio());
    assertTrue(parse(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")).enabled());
    assertTrue(parse(null, Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")).enabled());
  }

  @Test
  void theSdksOwnSwitchTurnsTracingOff() {
    assertFalse(parse(endpoint("http://collector:4318"), Map.of("OTEL_SDK_DISABLED", "true")).enabled());
  }

  @Test
  void aBadEndpointOrRatioIsRefusedNamingTheKey() {
    assertEquals("telemetry.otlp.endpoint: 'grpc://collector:4317' is not an http:// or https:// URL",
      refusal(endpoint("grpc://collector:4317")));
    assertEquals("telemetry.sampleRatio: 1.5 is out of range 0..1 (the share of new traces kept, e.g. 0.01 for 1 %)",
      refusal(new JsonObject().put("sampleRatio", 1.5)));
    assertEquals("telemetry.sampleRatio: expected a number from 0 to 1, got the string \"all\"",
      refusal(new JsonObject().put("sampleRatio", "all")));
    assertEquals("telemetry.otlp: expected an object, got the string \"http://collector:4318\"",
      refusal(new JsonObject().put("otlp", "http://collector:4318")));
    assertTrue(refusal(new JsonObject().put("endpoint", "http://collector:4318")).startsWith("telemetry.endpoint"));
  }
}
