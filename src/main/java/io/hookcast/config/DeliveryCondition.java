package io.hookcast.config;

import java.math.BigDecimal;
import java.util.List;

/**
 * Which webhooks a backend of a route wants ({@code routes[].deliver.<backend>}). A backend without a condition
 * gets every webhook of its route.
 */
public sealed interface DeliveryCondition {

  /**
   * A header has one of the values (exactly, case-sensitive; the name is matched case-insensitively). A header
   * sent several times matches if any of its values does.
   */
  record HeaderIn(String header, List<String> values) implements DeliveryCondition {
    public HeaderIn {
      values = List.copyOf(values);
    }
  }

  /**
   * The body is JSON and the value at an RFC 6901 JSON Pointer is one of the values. Values are strings,
   * booleans and numbers; numbers are held as {@link BigDecimal} without trailing zeros ({@link #comparable}), so that
   * {@code 1}, {@code 1.0} and {@code 1e0} are the same number, as they are in JSON.
   */
  record JsonIn(String pointer, List<Object> values) implements DeliveryCondition {
    public JsonIn {
      values = List.copyOf(values);
    }

    /**
     * A JSON value as conditions compare it, a condition's as a body's: numbers as {@link BigDecimal} without trailing
     * zeros. A number beyond a double's range (1e400), which the JSON parser makes an infinity, stays one: it equals no
     * number (the parser refuses it in a condition).
     */
    public static Object comparable(Object value) {
      if (value instanceof Number number && !(value instanceof Double d && d.isInfinite())) {
        return new BigDecimal(number.toString()).stripTrailingZeros();
      }
      return value;
    }
  }

  /** Every condition holds. */
  record All(List<DeliveryCondition> conditions) implements DeliveryCondition {
    public All {
      conditions = List.copyOf(conditions);
    }
  }

  /** At least one condition holds. */
  record Any(List<DeliveryCondition> conditions) implements DeliveryCondition {
    public Any {
      conditions = List.copyOf(conditions);
    }
  }
}
