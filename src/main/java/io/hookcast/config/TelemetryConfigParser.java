package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code telemetry}. Off unless an endpoint is configured, so that a node nobody collects traces from makes
 * none.
 */
final class TelemetryConfigParser {

  private TelemetryConfigParser() {
  }

  static TelemetryConfig parse(JsonObject json, Map<String, String> environment) {
    ConfigJson.allowOnly(json, "telemetry.", Set.of("otlp", "sampleRatio"));
    Object otlpValue = json.getValue("otlp");
    if (otlpValue != null && !(otlpValue instanceof JsonObject)) {
      throw new ConfigException("telemetry.otlp: expected an object, got " + ConfigParser.describe(otlpValue));
    }
    JsonObject otlp = otlpValue == null ? new JsonObject() : (JsonObject) otlpValue;
    ConfigJson.allowOnly(otlp, "telemetry.otlp.", Set.of("endpoint"));
    String endpoint = ConfigParser.string(otlp, "endpoint", "telemetry.otlp.", null);
    if (endpoint != null) {
      ConfigParser.httpUrl(endpoint, "telemetry.otlp.endpoint");
    }
    double ratio = ratio(json.getValue("sampleRatio"));
    boolean named = endpoint != null || present(environment, TelemetryConfig.ENDPOINT_VARIABLE)
      || present(environment, TelemetryConfig.TRACES_ENDPOINT_VARIABLE);
    // The SDK's own switch: with it set, autoconfigure would hand back a tracer that records nothing, and every
    // webhook would still pay for the spans it does not make.
    boolean disabled = "true".equalsIgnoreCase(environment.getOrDefault(TelemetryConfig.DISABLED_VARIABLE, "").trim());
    return new TelemetryConfig(endpoint, ratio, named && !disabled);
  }

  private static double ratio(Object value) {
    if (value == null) {
      return TelemetryConfig.DEFAULT_SAMPLE_RATIO;
    }
    if (!(value instanceof Number number)) {
      throw new ConfigException("telemetry.sampleRatio: expected a number from 0 to 1, got " + ConfigParser.describe(value));
    }
    BigDecimal exact;
    try {
      exact = new BigDecimal(number.toString());
    } catch (NumberFormatException notFinite) {
      throw new ConfigException("telemetry.sampleRatio: " + number + " is not a number from 0 to 1");
    }
    if (exact.signum() < 0 || exact.compareTo(BigDecimal.ONE) > 0) {
      throw new ConfigException("telemetry.sampleRatio: " + exact.stripTrailingZeros().toPlainString()
        + " is out of range 0..1 (the share of new traces kept, e.g. 0.01 for 1 %)");
    }
    return exact.doubleValue();
  }

  private static boolean present(Map<String, String> environment, String variable) {
    String value = environment.get(variable);
    return value != null && !value.isBlank();
  }
}
