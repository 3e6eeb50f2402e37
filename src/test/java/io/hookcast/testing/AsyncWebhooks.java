package io.hookcast.testing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Webhooks sent to an async route of a running jar, and what the backends made of them, by message id. */
public final class AsyncWebhooks {

  private AsyncWebhooks() {
  }

  /** An {@code async} route on {@code path} to {@code backends}, as a config's {@code routes}. */
  public static JsonArray asyncRoute(String path, String... backends) {
    return new JsonArray().add(new JsonObject().put("path", path).put("backends", new JsonArray(List.of((Object[]) backends)))
      .put("mode", "async"));
  }

  /** A retry schedule of {@code steps} waits of one second: long enough to outlive a backend held down by a test. */
  public static JsonArray seconds(int steps) {
    JsonArray schedule = new JsonArray();
    for (int i = 0; i < steps; i++) {
      schedule.add("1s");
    }
    return schedule;
  }

  /**
   * Sends {@code count} webhooks, {@code concurrency} at a time, to {@code uri} on 127.0.0.1:{@code port}; returns the
   * message ids of their answers, failing unless every answer is a 202 with an id.
   */
  public static List<String> sendAccepted(WebClient client, int port, String uri, String prefix, int count, int concurrency)
    throws Exception {
    List<String> ids = new ArrayList<>();
    for (int first = 0; first < count; first += concurrency) {
      List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
      for (int i = first; i < Math.min(first + concurrency, count); i++) {
        inFlight.add(client.post(port, "127.0.0.1", uri).sendBuffer(Buffer.buffer(prefix + "-" + i)));
      }
      for (Future<HttpResponse<Buffer>> answer : inFlight) {
        HttpResponse<Buffer> response = answer.await(60, TimeUnit.SECONDS);
        if (response.statusCode() != 202 || response.getHeader("X-Hookcast-Message-Id") == null) {
          throw new AssertionError("webhook " + ids.size() + " answered " + response.statusCode() + ": " + response.bodyAsString());
        }
        ids.add(response.getHeader("X-Hookcast-Message-Id"));
      }
    }
    return ids;
  }

  /** How many requests {@code backend} received for each message id. */
  public static Map<String, Long> deliveriesById(RecordingBackend backend) {
    return backend.received().stream().map(r -> r.headers().get("X-Hookcast-Message-Id")).filter(id -> id != null)
      .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  /** Whether {@code backend} received every one of {@code ids}. */
  public static boolean receivedAll(RecordingBackend backend, Collection<String> ids) {
    return deliveriesById(backend).keySet().containsAll(ids);
  }

  /** What is missing at {@code backend}, for a failure message. */
  public static String missing(RecordingBackend backend, Collection<String> ids) {
    Set<String> seen = deliveriesById(backend).keySet();
    List<String> missing = ids.stream().filter(id -> !seen.contains(id)).toList();
    return missing.size() + " of " + ids.size() + " not received, e.g. " + missing.stream().limit(5).toList();
  }

  /** Requests beyond the first for each message: the repeats that at-least-once delivery allows. */
  public static long duplicates(RecordingBackend backend) {
    return deliveriesById(backend).values().stream().mapToLong(n -> n - 1).sum();
  }
}
