package io.hookcast.config;

/**
 * {@code telemetry} of the configuration; each key's meaning, range and default: docs/configuration.md, generated from
 * the schema. OpenTelemetry's standard variables win over the file, as in every OpenTelemetry SDK, and the other
 * {@code OTEL_*} variables apply as the SDK defines them.
 *
 * @param otlpEndpoint {@code telemetry.otlp.endpoint}, or {@code null} when only the environment names one
 * @param enabled      whether this node makes and exports spans at all: an endpoint is named here or by the
 *                     environment, and {@value #DISABLED_VARIABLE} is not {@code true}
 */
public record TelemetryConfig(String otlpEndpoint, double sampleRatio, boolean enabled) {

  public static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";
  public static final String TRACES_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  public static final String DISABLED_VARIABLE = "OTEL_SDK_DISABLED";
}
