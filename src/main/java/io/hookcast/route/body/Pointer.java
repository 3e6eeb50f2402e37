package io.hookcast.route.body;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 6901 JSON Pointer as Vert.x's {@code JsonPointer.queryJson} follows it, which the configuration's pointers
 * have always meant: {@code ~1} is {@code /} and {@code ~0} is {@code ~} in a token; a token names an array element
 * when {@link Integer#parseInt} reads it as one ({@code 01} and {@code +1} are element 1, {@code -} is none); and of
 * two or more tokens a leading empty one is passed over ({@code //a} is {@code /a}, {@code /} is the key "").
 *
 * @param text   the pointer as configured
 * @param tokens the tokens walked from the root, decoded
 */
record Pointer(String text, List<String> tokens) {

  Pointer {
    tokens = List.copyOf(tokens);
  }

  static Pointer parse(String text) {
    if (!text.isEmpty() && !text.startsWith("/") || !text.matches("(?:~[01]|[^~])*+")) {
      throw new IllegalArgumentException("not a JSON Pointer: " + text);
    }
    List<String> tokens = new ArrayList<>();
    if (!text.isEmpty()) {
      String[] parts = text.split("/", -1);
      for (int i = 1; i < parts.length; i++) {
        tokens.add(parts[i].replace("~1", "/").replace("~0", "~"));
      }
    }
    if (tokens.size() > 1 && tokens.get(0).isEmpty()) {
      tokens.remove(0);
    }
    return new Pointer(text, tokens);
  }

  /** The array element a token names, or -1 when it names none. */
  static int index(String token) {
    try {
      return Math.max(Integer.parseInt(token), -1);
    } catch (NumberFormatException notAnIndex) {
      return -1;
    }
  }
}
