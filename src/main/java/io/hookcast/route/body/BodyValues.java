package io.hookcast.route.body;

import java.util.Map;

/**
 * What a webhook's body holds at the JSON Pointers its route reads ({@link BodyScanner}). Immutable.
 *
 * @param byPointer by pointer as configured, only those with a value
 */
public record BodyValues(Map<String, Object> byPointer) {

  /** A body not read, not JSON, or holding none of the values. */
  public static final BodyValues NONE = new BodyValues(Map.of());

  public BodyValues {
    byPointer = Map.copyOf(byPointer);
  }

  /**
   * The value at the pointer: a string, number or boolean as {@code Json.decodeValue} gives them, or for the pointer
   * read whole an object or array as {@link JsonText}; {@code null} when there is none: nothing there, JSON null, or
   * an object or array at a pointer only compared.
   */
  public Object at(String pointer) {
    return byPointer.get(pointer);
  }
}
