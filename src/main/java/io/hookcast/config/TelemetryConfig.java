package io.hookcast.config;

/**
 * Where this node's traces go, if anywhere. Tracing is on when an OTLP endpoint is given here or by OpenTelemetry's
 * standard variables; the variables win over the file, as in every OpenTelemetry SDK, and the other {@code OTEL_*}
 * variables (service name, resource attributes, sampler argument, batch settings) apply as the SDK defines them.
 *
 * @param otlpEndpoint the collector's OTLP/HTTP base URL (e.g. {@code http://collector:4318}), or {@code null} when
 *                     only the environment names one
 * @param sampleRatio  the share of new traces kept, 0 to 1; a sender's sampling decision is followed (parent-based)
 * @param enabled      whether this node makes and exports spans at all
 */
public record TelemetryConfig(String otlpEndpoint, double sampleRatio, boolean enabled) {

  public static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";
  public static final String TRACES_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  public static final String DISABLED_VARIABLE = "OTEL_SDK_DISABLED";
}
