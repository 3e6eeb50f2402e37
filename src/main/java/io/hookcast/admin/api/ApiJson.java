package io.hookcast.admin.api;

import io.hookcast.recent.SyncDelivery;
import io.hookcast.recent.SyncWebhook;
import io.hookcast.store.AttemptRecord;
import io.hookcast.store.DeliverySummary;
import io.hookcast.store.MessageDetail;
import io.hookcast.store.MessageSummary;
import io.hookcast.store.StoredAttempt;
import io.hookcast.telemetry.Tracing;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** The API's JSON, named as the operator contract has it (users rely on these names). */
final class ApiJson {

  /** A body larger than this is shown cut, with {@code bodyTruncated}. */
  static final int MAX_BODY_BYTES = 64 * 1024;

  private ApiJson() {
  }

  static JsonObject summary(MessageSummary message, Redaction redaction) {
    JsonArray deliveries = new JsonArray();
    for (DeliverySummary delivery : message.deliveries()) {
      deliveries.add(new JsonObject()
        .put("backend", delivery.backend())
        .put("status", delivery.status().column())
        .put("attempts", delivery.attempts())
        .put("lastStatus", delivery.lastStatus())
        .put("lastError", delivery.lastError())
        .put("nextAttemptAt", iso(delivery.nextAttemptAt())));
      ordering(deliveries.getJsonObject(deliveries.size() - 1), delivery);
    }
    return head(message, redaction).put("deliveries", deliveries);
  }

  static JsonObject detail(MessageDetail detail, Redaction redaction) {
    MessageSummary message = detail.summary();
    JsonArray headers = new JsonArray();
    detail.headers().forEach(header -> headers.add(new JsonArray().add(header.getKey())
      .add(redaction.shown(header.getKey(), header.getValue()))));
    JsonArray deliveries = new JsonArray();
    // Every attempt is a span of the trace the message was accepted in.
    String traceId = Tracing.traceId(detail.traceParent());
    for (DeliverySummary delivery : message.deliveries()) {
      JsonArray history = new JsonArray();
      for (StoredAttempt attempt : detail.attempts().getOrDefault(delivery.backend(), List.of())) {
        history.add(attempt(attempt, traceId));
      }
      deliveries.add(new JsonObject()
        .put("backend", delivery.backend())
        .put("status", delivery.status().column())
        .put("attempts", delivery.attempts())
        .put("nextAttemptAt", iso(delivery.nextAttemptAt()))
        .put("attemptHistory", history));
      ordering(deliveries.getJsonObject(deliveries.size() - 1), delivery);
    }
    JsonObject json = head(message, redaction).put("headers", headers);
    body(json, detail.body());
    return json.put("deliveries", deliveries);
  }

  /** A delivery's order key and, while its key holds it back, the message it waits for; absent when unordered. */
  private static void ordering(JsonObject json, DeliverySummary delivery) {
    if (delivery.orderKey() != null) {
      json.put("orderKey", delivery.orderKey());
    }
    if (delivery.waitingFor() != null) {
      json.put("waitingFor", delivery.waitingFor());
    }
  }

  static JsonObject sync(SyncWebhook webhook, Redaction redaction) {
    JsonArray deliveries = new JsonArray();
    for (int i = 0; i < webhook.backends().size(); i++) {
      SyncDelivery delivery = webhook.deliveries().get(i);
      JsonObject json = new JsonObject().put("backend", webhook.backends().get(i));
      if (delivery == null) {
        json.putNull("status").put("outcome", "skipped").put("durationMs", 0).put("attempts", 0).putNull("error").putNull("node");
      } else {
        json.put("status", delivery.status()).put("outcome", delivery.outcome().label()).put("durationMs", delivery.durationMs())
          .put("attempts", delivery.attempts()).put("error", delivery.error()).put("node", delivery.node());
      }
      deliveries.add(json);
    }
    return new JsonObject()
      .put("id", webhook.requestId())
      .put("route", webhook.route())
      .put("method", webhook.method())
      .put("path", redaction.path(webhook.path()))
      .put("receivedAt", iso(Instant.ofEpochMilli(webhook.receivedAt())))
      .put("size", webhook.size())
      .put("status", webhook.status())
      .put("deliveries", deliveries)
      .put("traceId", Tracing.traceId(webhook.traceParent()));
  }

  static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  private static JsonObject head(MessageSummary message, Redaction redaction) {
    return new JsonObject()
      .put("id", message.id())
      .put("route", message.route())
      .put("method", message.method())
      .put("path", redaction.path(message.path()))
      .put("receivedAt", iso(message.receivedAt()))
      .put("size", message.size())
      .put("senderId", message.senderId());
  }

  private static JsonObject attempt(StoredAttempt stored, String traceId) {
    AttemptRecord record = stored.record();
    return new JsonObject()
      .put("attempt", stored.attempt())
      .put("startedAt", iso(record.startedAt()))
      .put("durationMs", record.durationMs())
      .put("status", record.status())
      .put("outcome", record.outcome().label())
      .put("error", record.error())
      .put("responseHead", record.responseHead())
      .put("node", record.node())
      .put("manual", record.manual())
      .put("traceId", traceId);
  }

  /** As text when the (shown part of the) body is UTF-8, else base64. */
  private static void body(JsonObject json, Buffer body) {
    boolean truncated = body.length() > MAX_BODY_BYTES;
    byte[] bytes = truncated ? body.getBytes(0, MAX_BODY_BYTES) : body.getBytes();
    String text = utf8(bytes, truncated);
    json.put("body", text != null ? text : Base64.getEncoder().encodeToString(bytes))
      .put("bodyEncoding", text != null ? "text" : "base64")
      .put("bodyTruncated", truncated);
  }

  /**
   * The bytes as text, or {@code null} when they are not UTF-8. A cut body may end inside a character: that is not
   * a reason for base64, so the last incomplete character is left out.
   */
  private static String utf8(byte[] bytes, boolean cut) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer text = CharBuffer.allocate(bytes.length);
    if (decoder.decode(ByteBuffer.wrap(bytes), text, !cut).isError()) {
      return null;
    }
    if (!cut && decoder.flush(text).isError()) {
      return null;
    }
    return text.flip().toString();
  }

  static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }
}
