package io.hookcast.route.filter;

import io.hookcast.config.DeliveryCondition;
import io.hookcast.route.body.BodyValues;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which backends of a route get a webhook ({@code routes[].deliver}). Built once per route configuration;
 * immutable and thread-safe.
 */
public final class DeliveryFilter {

  public static final DeliveryFilter NONE = new DeliveryFilter(Map.of());

  private final Map<String, DeliveryCondition> conditions;
  private final List<String> pointers;

  public DeliveryFilter(Map<String, DeliveryCondition> conditions) {
    this.conditions = Map.copyOf(conditions);
    Set<String> pointers = new LinkedHashSet<>();
    this.conditions.values().forEach(condition -> collectPointers(condition, pointers));
    this.pointers = List.copyOf(pointers);
  }

  /** The JSON Pointers into the body that the conditions compare. */
  public List<String> pointers() {
    return pointers;
  }

  /**
   * Whether, with these headers, some backend's condition turns on the body: when none does (no JSON condition, or
   * the headers settle every one, as in an "any" whose header holds) the body need not be read.
   */
  public boolean needsBody(MultiMap headers) {
    for (DeliveryCondition condition : conditions.values()) {
      if (byHeaders(condition, headers) == null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The backends, of those given and in their order, that want this webhook. Backends without a condition
   * always do.
   *
   * @param body the values at {@link #pointers()}; {@link BodyValues#NONE} when the body is not JSON, or was not read
   *             because {@link #needsBody} said so
   */
  public List<String> select(List<String> backends, MultiMap headers, BodyValues body) {
    if (conditions.isEmpty()) {
      return backends;
    }
    List<String> selected = new ArrayList<>(backends.size());
    for (String backend : backends) {
      DeliveryCondition condition = conditions.get(backend);
      if (condition == null || matches(condition, headers, body)) {
        selected.add(backend);
      }
    }
    return selected;
  }

  private static boolean matches(DeliveryCondition condition, MultiMap headers, BodyValues body) {
    if (condition instanceof DeliveryCondition.HeaderIn header) {
      return matches(header, headers);
    }
    if (condition instanceof DeliveryCondition.JsonIn json) {
      Object value = body.at(json.pointer());
      return value != null && json.values().contains(DeliveryCondition.JsonIn.comparable(value));
    }
    if (condition instanceof DeliveryCondition.All all) {
      return all.conditions().stream().allMatch(c -> matches(c, headers, body));
    }
    DeliveryCondition.Any any = (DeliveryCondition.Any) condition;
    return any.conditions().stream().anyMatch(c -> matches(c, headers, body));
  }

  private static boolean matches(DeliveryCondition.HeaderIn header, MultiMap headers) {
    return headers.getAll(header.header()).stream().anyMatch(header.values()::contains);
  }

  /** What the condition comes to by the headers alone: {@code null} when that depends on the body. */
  private static Boolean byHeaders(DeliveryCondition condition, MultiMap headers) {
    if (condition instanceof DeliveryCondition.HeaderIn header) {
      return matches(header, headers);
    }
    if (condition instanceof DeliveryCondition.JsonIn) {
      return null;
    }
    // An "all" that one false part settles is false whatever the body holds; an "any" that one true part settles, true.
    boolean all = condition instanceof DeliveryCondition.All;
    List<DeliveryCondition> parts = all ? ((DeliveryCondition.All) condition).conditions() : ((DeliveryCondition.Any) condition).conditions();
    boolean open = false;
    for (DeliveryCondition part : parts) {
      Boolean holds = byHeaders(part, headers);
      if (holds == null) {
        open = true;
      } else if (holds != all) {
        return !all;
      }
    }
    return open ? null : all;
  }

  private static void collectPointers(DeliveryCondition condition, Set<String> pointers) {
    if (condition instanceof DeliveryCondition.JsonIn json) {
      pointers.add(json.pointer());
    } else if (condition instanceof DeliveryCondition.All all) {
      all.conditions().forEach(c -> collectPointers(c, pointers));
    } else if (condition instanceof DeliveryCondition.Any any) {
      any.conditions().forEach(c -> collectPointers(c, pointers));
    }
  }
}
