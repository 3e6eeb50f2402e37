package io.hookcast.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * A real OpenTelemetry collector's trace endpoint on 127.0.0.1: takes OTLP/HTTP protobuf export requests at
 * {@code /v1/traces}, decodes them with OpenTelemetry's own protocol classes and keeps every span with the resource
 * it came from.
 */
public final class OtlpReceiver {

  /** A span as exported, in the words a test checks: ids in hex, attributes as strings. */
  public record Received(String name, Span.SpanKind kind, String traceId, String spanId, String parentSpanId,
                         Map<String, String> attributes, Map<String, String> resource) {

    public String attribute(String key) {
      return attributes.get(key);
    }

    /** One line of a text dump of a trace. */
    public String line() {
      return String.format("%-22s %-18s trace %s span %s parent %-16s %s %s", name, kind.name().replace("SPAN_KIND_", ""),
        traceId, spanId, parentSpanId.isEmpty() ? "-" : parentSpanId, resource.get("service.instance.id"), attributes);
    }
  }

  private final HttpServer server;
  private final Queue<Received> spans = new ConcurrentLinkedQueue<>();

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  public static Future<OtlpReceiver> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    OtlpReceiver receiver = new OtlpReceiver(server);
    server.requestHandler(request -> request.body().onSuccess(body -> {
      if (!"/v1/traces".equals(request.path())) {
        request.response().setStatusCode(404).end();
        return;
      }
      try {
        for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(body.getBytes()).getResourceSpansList()) {
          Map<String, String> resource = strings(resourceSpans.getResource().getAttributesList());
          for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
            for (Span span : scopeSpans.getSpansList()) {
              receiver.spans.add(new Received(span.getName(), span.getKind(), hex(span.getTraceId()), hex(span.getSpanId()),
                hex(span.getParentSpanId()), strings(span.getAttributesList()), resource));
            }
          }
        }
        request.response().putHeader("content-type", "application/x-protobuf")
          .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
      } catch (InvalidProtocolBufferException e) {
        request.response().setStatusCode(400).end();
      }
    }));
    return server.listen(0, "127.0.0.1").map(receiver);
  }

  /** The base URL an OTLP/HTTP exporter is given; it sends to {@code /v1/traces} under it. */
  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public List<Received> spans() {
    return List.copyOf(spans);
  }

  public Future<Void> stop() {
    return server.close();
  }

  private static Map<String, String> strings(List<KeyValue> attributes) {
    return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, attribute -> text(attribute.getValue()),
      (a, b) -> b, java.util.TreeMap::new));
  }

  private static String text(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case INT_VALUE:
        return Long.toString(value.getIntValue());
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE:
        return Double.toString(value.getDoubleValue());
      default:
        return value.toString().trim();
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
