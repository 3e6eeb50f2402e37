package io.hookcast.route.filter;

import io.hookcast.config.DeliveryCondition;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.pointer.JsonPointer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides which backends of a route get a webhook ({@code routes[].deliver}). Built once per route configuration
 * (JSON Pointers compiled here, not per webhook); immutable and thread-safe.
 */
public final class DeliveryFilter {

  public static final DeliveryFilter NONE = new DeliveryFilter(Map.of());

  private final Map<String, DeliveryCondition> conditions;
  private final Map<String, JsonPointer> pointers = new HashMap<>();

  public DeliveryFilter(Map<String, DeliveryCondition> conditions) {
    this.conditions = Map.copyOf(conditions);
    this.conditions.values().forEach(this::compilePointers);
  }

  /**
   * The backends, of those given and in their order, that want this webhook. Backends without a condition
   * always do.
   */
  public List<String> select(List<String> backends, MultiMap headers, Buffer body) {
    return select(backends, new WebhookContent(headers, body, Json::decodeValue));
  }

  List<String> select(List<String> backends, WebhookContent content) {
    if (conditions.isEmpty()) {
      return backends;
    }
    List<String> selected = new ArrayList<>(backends.size());
    for (String backend : backends) {
      DeliveryCondition condition = conditions.get(backend);
      if (condition == null || matches(condition, content)) {
        selected.add(backend);
      }
    }
    return selected;
  }

  private boolean matches(DeliveryCondition condition, WebhookContent content) {
    if (condition instanceof DeliveryCondition.HeaderIn header) {
      return content.headers().getAll(header.header()).stream().anyMatch(header.values()::contains);
    }
    if (condition instanceof DeliveryCondition.JsonIn json) {
      return content.json()
        .map(body -> pointers.get(json.pointer()).queryJson(body))
        .map(DeliveryCondition.JsonIn::comparable)
        .filter(json.values()::contains)
        .isPresent();
    }
    if (condition instanceof DeliveryCondition.All all) {
      return all.conditions().stream().allMatch(c -> matches(c, content));
    }
    DeliveryCondition.Any any = (DeliveryCondition.Any) condition;
    return any.conditions().stream().anyMatch(c -> matches(c, content));
  }

  private void compilePointers(DeliveryCondition condition) {
    if (condition instanceof DeliveryCondition.JsonIn json) {
      pointers.computeIfAbsent(json.pointer(), JsonPointer::from);
    } else if (condition instanceof DeliveryCondition.All all) {
      all.conditions().forEach(this::compilePointers);
    } else if (condition instanceof DeliveryCondition.Any any) {
      any.conditions().forEach(this::compilePointers);
    }
  }
}
