package io.hookcast.config;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;

/**
 * The documented range of a numeric configuration key, and the one way such a key is read. JSON has one number
 * type; Vert.x hands it over as Integer, Long, BigInteger or Double depending on how it was written, so the value
 * is compared as an exact decimal: nothing is cast, clamped or rounded on the way in, and {@code 1e19} or
 * {@code 9999999999} is refused rather than wrapped into an int or saturated into a long.
 *
 * @param min smallest value allowed
 * @param max largest value allowed; an {@link #readInt int key}'s range lies within the int range
 */
record Range(long min, long max) {

  Range {
    if (min > max) {
      throw new IllegalArgumentException("empty range " + min + ".." + max);
    }
  }

  /** The value of {@code prefix + key}, or {@code fallback} when the key is absent. */
  long read(JsonObject json, String key, String prefix, long fallback) {
    Object value = json.getValue(key);
    if (value == null) {
      return fallback;
    }
    String name = prefix + key;
    BigDecimal exact = value instanceof Number number ? exact(number) : null;
    if (exact == null) {
      throw new ConfigException(name + ": expected a whole number in " + this + ", got " + ConfigParser.describe(value));
    }
    if (exact.stripTrailingZeros().scale() > 0) {
      throw new ConfigException(name + ": " + text(value, exact) + " is not a whole number; expected one in " + this);
    }
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new ConfigException(name + ": " + text(value, exact) + " is out of range " + this);
    }
    return exact.longValueExact();
  }

  /** As {@link #read}, for a key held in an int. */
  int readInt(JsonObject json, String key, String prefix, long fallback) {
    return Math.toIntExact(read(json, key, prefix, fallback));
  }

  @Override
  public String toString() {
    return min + ".." + max;
  }

  /** Null for what is no finite number (NaN or infinity put into a JsonObject by code rather than parsed). */
  private static BigDecimal exact(Number number) {
    try {
      return new BigDecimal(number.toString());
    } catch (NumberFormatException notFinite) {
      return null;
    }
  }

  /** The value as the operator most likely wrote it: {@code 1e19} rather than {@code 1.0E19} or twenty digits. */
  private static String text(Object value, BigDecimal exact) {
    if (!(value instanceof Double || value instanceof Float || value instanceof BigDecimal)) {
      return value.toString();
    }
    BigDecimal stripped = exact.stripTrailingZeros();
    boolean huge = stripped.precision() - stripped.scale() > 15;
    boolean tiny = stripped.scale() > 15;
    return huge || tiny ? stripped.toString().replace("E+", "e").replace('E', 'e') : stripped.toPlainString();
  }
}
