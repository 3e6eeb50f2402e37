package io.hookcast.telemetry;

import io.hookcast.bus.AttemptOutcome;
import io.hookcast.bus.DeliveryResult;
import io.hookcast.bus.Outcome;
import io.hookcast.config.ConfigException;
import io.hookcast.config.TelemetryConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's traces: one per webhook, made of a server span for its ingress, a span for the store's write of an
 * accept, and a client span for each request to a backend (each async attempt included). The OpenTelemetry SDK,
 * configured by its autoconfigure module from the standard {@code OTEL_*} variables over the {@code telemetry}
 * section, samples them and exports them over OTLP/HTTP from its batch processor's own thread, never an event loop;
 * its shutdown hook exports what is still buffered when the process exits.
 * <p>
 * The context a webhook's spans share travels with the webhook as a W3C {@code traceparent} ({@code
 * Webhook.traceParent}), explicitly rather than in a thread's or a Vert.x context's current span: it must cross the
 * event bus to a forwarder on another node, wait in the forwarder's queue and circuit breaker, and lie in the store
 * for days between an accept and its attempts, on whichever node makes them. A span is made only as the child of a
 * webhook's context, so warm-up exchanges, messages stored before tracing was on, and Hookcast's other traffic
 * (cluster, store, alerts, admin) never start traces of their own.
 * <p>
 * {@link #OFF} makes nothing and costs a null check: with tracing off no SDK is built and routes are not wrapped.
 */
public final class Tracing {

  /** Makes no spans. */
  public static final Tracing OFF = new Tracing(null, null);

  private static final String TRACEPARENT = "traceparent";
  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("hookcast.route");
  private static final AttributeKey<String> MODE = AttributeKey.stringKey("hookcast.mode");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("hookcast.request_id");
  private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("hookcast.message_id");
  private static final AttributeKey<Boolean> DUPLICATE = AttributeKey.booleanKey("hookcast.duplicate");
  private static final AttributeKey<String> BACKEND = AttributeKey.stringKey("hookcast.backend");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("hookcast.attempt");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("hookcast.outcome");
  private static final AttributeKey<String> NODE = AttributeKey.stringKey("hookcast.node");
  private static final AttributeKey<String> ERROR = AttributeKey.stringKey("error.type");
  private static final String SERVICE_INSTANCE = "service.instance.id";
  private static final String DISABLED_PROVIDERS = "otel.java.disabled.resource.providers";
  private static final String RANDOM_INSTANCE_ID = "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider";

  private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap carrier) {
      return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private static final TextMapGetter<String> ONE_TRACEPARENT = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(String carrier) {
      return List.of(TRACEPARENT);
    }

    @Override
    public String get(String carrier, String key) {
      return TRACEPARENT.equals(key) ? carrier : null;
    }
  };

  /** {@code null} when off. */
  private final Tracer tracer;
  private final String nodeName;

  private Tracing(Tracer tracer, String nodeName) {
    this.tracer = tracer;
    this.nodeName = nodeName;
  }

  /**
   * @return the node's tracing, or {@link #OFF} when {@code config} turns it off
   * @throws ConfigException when an {@code OTEL_*} variable cannot be used (e.g. a sampler argument that is no number)
   */
  public static Tracing start(TelemetryConfig config, String nodeName) {
    if (!config.enabled()) {
      return OFF;
    }
    // The lowest layer: OTEL_* variables and otel.* system properties win over each of these.
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", "hookcast");
    defaults.put("otel.traces.exporter", "otlp");
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // The JDK's HTTP client is the only sender the jar ships; OTLP over gRPC would need another.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    defaults.put("otel.traces.sampler", "parentbased_traceidratio");
    defaults.put("otel.traces.sampler.arg", Double.toString(config.sampleRatio()));
    if (config.otlpEndpoint() != null) {
      defaults.put("otel.exporter.otlp.endpoint", config.otlpEndpoint());
    }
    try {
      Tracer tracer = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        // The node's name is its instance id, added to OTEL_RESOURCE_ATTRIBUTES rather than set, which would replace
        // the operator's own attributes. The SDK's provider of a random instance id is then left out: its id, replaced
        // by ours, would cost a warning at every start.
        .addPropertiesCustomizer(properties -> {
          if (properties.getMap("otel.resource.attributes").containsKey(SERVICE_INSTANCE)) {
            return Map.of();
          }
          String given = properties.getString("otel.resource.attributes", "");
          String node = SERVICE_INSTANCE + "=" + resourceValue(nodeName);
          List<String> disabled = new ArrayList<>(properties.getList(DISABLED_PROVIDERS));
          disabled.add(RANDOM_INSTANCE_ID);
          return Map.of("otel.resource.attributes", given.isBlank() ? node : given + "," + node,
            DISABLED_PROVIDERS, String.join(",", disabled));
        })
        .build()
        .getOpenTelemetrySdk()
        .getTracer("io.hookcast");
      return new Tracing(tracer, nodeName);
    } catch (ConfigurationException e) {
      // The SDK wraps what it did not foresee ("Unexpected configuration error"): the cause says what it was.
      throw new ConfigException("telemetry: the OpenTelemetry settings (OTEL_* variables) cannot be used: " + e.getMessage()
        + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
    }
  }

  public boolean enabled() {
    return tracer != null;
  }

  /**
   * Starts the server span of a webhook received on {@code route}, continuing the sender's W3C context when its
   * headers carry one.
   */
  public Span ingress(MultiMap headers, String method, String route, String mode, String requestId) {
    Context parent = W3C.extract(Context.root(), headers, HEADERS);
    return tracer.spanBuilder(method + " " + route)
      .setParent(parent)
      .setSpanKind(SpanKind.SERVER)
      .setAttribute(METHOD, method)
      .setAttribute(HTTP_ROUTE, route)
      .setAttribute(ROUTE, route)
      .setAttribute(MODE, mode)
      .setAttribute(REQUEST_ID, requestId)
      .setAttribute(NODE, nodeName)
      .startSpan();
  }

  public static void endIngress(Span span, int status, String messageId) {
    if (span.isRecording()) {
      span.setAttribute(STATUS, status).setAttribute(MESSAGE_ID, messageId);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  /**
   * The span of an async route's store write, a child of the webhook's; a no-op span without one, or when this node
   * does not trace (a webhook traced by another node, or stored while tracing was on, may come to one that does not).
   */
  public Span storeWrite(String traceParent, String route) {
    Context parent = tracer == null ? null : parent(traceParent);
    if (parent == null) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder("store accept").setParent(parent).setSpanKind(SpanKind.INTERNAL)
      .setAttribute(ROUTE, route).setAttribute(NODE, nodeName).startSpan();
  }

  /** @param failure why the store did not take it, or {@code null} when it did */
  public static void endStoreWrite(Span span, String messageId, boolean duplicate, Throwable failure) {
    if (span.isRecording()) {
      if (failure == null) {
        span.setAttribute(MESSAGE_ID, messageId).setAttribute(DUPLICATE, duplicate);
      } else {
        span.setAttribute(ERROR, failure.getClass().getName()).setStatus(StatusCode.ERROR);
      }
    }
    span.end();
  }

  /**
   * The client span of one request to a backend, a child of the webhook's context; a no-op span when the webhook
   * has none or this node does not trace.
   */
  public Span delivery(String traceParent, String backend, String method, int attempt, String messageId) {
    Context parent = tracer == null ? null : parent(traceParent);
    if (parent == null) {
      return Span.getInvalid();
    }
    return tracer.spanBuilder(method + " " + backend)
      .setParent(parent)
      .setSpanKind(SpanKind.CLIENT)
      .setAttribute(METHOD, method)
      .setAttribute(BACKEND, backend)
      .setAttribute(ATTEMPT, (long) attempt)
      .setAttribute(MESSAGE_ID, messageId)
      .setAttribute(NODE, nodeName)
      .startSpan();
  }

  public static void endDelivery(Span span, DeliveryResult result) {
    if (span.isRecording()) {
      Outcome outcome = result.outcome();
      span.setAttribute(OUTCOME, AttemptOutcome.of(outcome).label());
      if (outcome.error() == null) {
        span.setAttribute(STATUS, result.status());
      } else {
        // No answer came: the status Hookcast reports for it would read as one the backend, or a gateway before it, sent.
        span.setAttribute(ERROR, outcome instanceof Outcome.TimedOut ? "timeout" : outcome.error());
      }
      if (result.isFailure()) {
        span.setStatus(StatusCode.ERROR, result.error());
      }
    }
    span.end();
  }

  /**
   * Sets {@code headers}' {@code traceparent} (and {@code tracestate}) to {@code span}'s context, in place of any
   * the sender sent: the backend's spans are then children of this request's.
   */
  public static void inject(Span span, MultiMap headers) {
    W3C.inject(Context.root().with(span), headers, MultiMap::set);
  }

  /** {@code span}'s context as a W3C {@code traceparent}, or {@code null} for a no-op span. */
  public static String traceParent(Span span) {
    SpanContext context = span.getSpanContext();
    if (!context.isValid()) {
      return null;
    }
    return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
  }

  /**
   * The trace id of a W3C {@code traceparent}, or {@code null} when there is none, it cannot be read, or it was not
   * sampled: shown to an operator, an id leads to a trace, and nothing exported an unsampled one.
   */
  public static String traceId(String traceParent) {
    Context parent = parent(traceParent);
    return parent == null ? null : traceId(Span.fromContext(parent));
  }

  /** {@code span}'s trace id, or {@code null} when it is not sampled (or a no-op span). */
  public static String traceId(Span span) {
    SpanContext context = span.getSpanContext();
    return context.isValid() && context.isSampled() ? context.getTraceId() : null;
  }

  /** The context {@code traceParent} stands for; {@code null} when it is absent or unreadable. */
  private static Context parent(String traceParent) {
    if (traceParent == null) {
      return null;
    }
    Context extracted = W3C.extract(Context.root(), traceParent, ONE_TRACEPARENT);
    return Span.fromContext(extracted).getSpanContext().isValid() ? extracted : null;
  }

  /** OTEL_RESOURCE_ATTRIBUTES values are percent-decoded; node names may hold its separators. */
  private static String resourceValue(String value) {
    StringBuilder encoded = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      if (c == '%' || c == ',' || c == '=' || c == ' ') {
        encoded.append('%').append(String.format("%02X", (int) c));
      } else {
        encoded.append(c);
      }
    }
    return encoded.toString();
  }
}
