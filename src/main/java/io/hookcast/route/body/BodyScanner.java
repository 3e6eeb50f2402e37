package io.hookcast.route.body;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the values at a route's JSON Pointers from a webhook's body in one pass of a streaming parser, without
 * building the body as a tree: a body of megabytes would be a tree many times its size, and every pointer is known
 * from the configuration. The parser follows only the members and elements some pointer leads into, skips the
 * others without keeping them, and stops as soon as every pointer is decided, so the rest of the body is not read.
 * What is kept is the values found.
 *
 * <p>The body is read by Vert.x's own parser, so what counts as JSON, and what a number or string is, are as in
 * {@code Json.decodeValue}. Reading stops early, which sets two things apart from decoding the whole body: a body
 * counts as JSON as far as it is read (malformed JSON after the last value needed goes unnoticed), and of a name
 * repeated in one object the first member counts, not the last.
 *
 * <p>Built once per route configuration; immutable and thread-safe.
 */
public final class BodyScanner {

  /** Jackson's defaults, as under Vert.x's codec: an object or array comes out as {@code Json.encode} writes it. */
  private static final JsonFactory TEXT = new JsonFactory();

  private final List<Pointer> pointers;
  /** The place in {@link #pointers} of the one read whole, or -1. */
  private final int whole;
  private final Step root;

  /**
   * @param compared pointers whose values are compared with strings, numbers and booleans: an object or array there is
   *                 no value
   * @param whole    a pointer whose value is wanted whatever it is, an object or array as {@link JsonText}; or
   *                 {@code null}
   */
  public BodyScanner(Collection<String> compared, String whole) {
    Set<String> texts = new LinkedHashSet<>(compared);
    if (whole != null) {
      texts.add(whole);
    }
    this.pointers = texts.stream().map(Pointer::parse).toList();
    this.whole = whole == null ? -1 : List.copyOf(texts).indexOf(whole);
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < pointers.size(); i++) {
      all.add(i);
    }
    this.root = step(all, 0);
  }

  /** The values at the pointers; none when the body is not JSON as far as it had to be read. */
  public BodyValues scan(Buffer body) {
    try (JsonParser parser = JacksonCodec.createParser(body)) {
      if (parser.nextToken() == null) {
        return BodyValues.NONE;
      }
      Scan scan = new Scan(parser);
      scan.value(root);
      return scan.found();
    } catch (IOException | DecodeException notJson) {
      return BodyValues.NONE;
    }
  }

  private Step step(List<Integer> ids, int depth) {
    List<Integer> ends = new ArrayList<>();
    Map<String, List<Integer>> byName = new LinkedHashMap<>();
    Map<Integer, List<Integer>> byIndex = new LinkedHashMap<>();
    for (int id : ids) {
      List<String> tokens = pointers.get(id).tokens();
      if (tokens.size() == depth) {
        ends.add(id);
        continue;
      }
      String token = tokens.get(depth);
      byName.computeIfAbsent(token, t -> new ArrayList<>()).add(id);
      int index = Pointer.index(token);
      if (index >= 0) {
        byIndex.computeIfAbsent(index, i -> new ArrayList<>()).add(id);
      }
    }
    Map<String, Step> names = new HashMap<>();
    byName.forEach((name, under) -> names.put(name, step(under, depth + 1)));
    Map<Integer, Step> indexes = new HashMap<>();
    byIndex.forEach((index, under) -> indexes.put(index, step(under, depth + 1)));
    return new Step(ends.stream().mapToInt(Integer::intValue).toArray(), ids.stream().mapToInt(Integer::intValue).toArray(),
      Map.copyOf(names), Map.copyOf(indexes), byIndex.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1));
  }

  /**
   * Where some pointers lead after the same tokens.
   *
   * @param ends      the pointers whose value is the one here
   * @param under     the pointers that end here or deeper: all are decided once the value here has been read
   * @param byName    where each member name of an object here leads on
   * @param byIndex   where each element of an array here leads on
   * @param lastIndex the highest index in {@code byIndex}, -1 when there is none
   */
  private record Step(int[] ends, int[] under, Map<String, Step> byName, Map<Integer, Step> byIndex, int lastIndex) {
  }

  /** One body's pass: on one thread, once. */
  private final class Scan {

    private final JsonParser parser;
    private final Object[] values = new Object[pointers.size()];
    private final boolean[] decided = new boolean[pointers.size()];
    private int undecided = pointers.size();
    /** While the whole pointer's object or array is being read: where its text goes. */
    private JsonGenerator copy;
    private StringWriter copied;

    Scan(JsonParser parser) {
      this.parser = parser;
    }

    /**
     * Reads the value at the current token, up to its last token, where the pointers of {@code step} lead
     * ({@code null}: none do).
     *
     * @return whether some pointer is still undecided, so that reading goes on
     */
    boolean value(Step step) throws IOException {
      if (step == null) {
        pass();
        return true;
      }
      JsonToken token = parser.currentToken();
      if (!token.isStructStart()) {
        if (copy != null) {
          copy.copyCurrentEvent(parser);
        }
        Object scalar = scalar(token);
        for (int id : step.ends()) {
          decide(id, scalar);
        }
        return settle(step);
      }
      boolean copying = false;
      for (int id : step.ends()) {
        if (id == whole && !decided[id]) {
          copied = new StringWriter();
          copy = TEXT.createGenerator(copied);
          copying = true;
        } else {
          decide(id, null);
        }
      }
      if (undecided == 0) {
        return false;
      }
      boolean leadsIn = token == JsonToken.START_OBJECT ? !step.byName().isEmpty() : !step.byIndex().isEmpty();
      if (!leadsIn) {
        pass();
      } else {
        if (copy != null) {
          copy.copyCurrentEvent(parser);
        }
        if (!(token == JsonToken.START_OBJECT ? members(step) : elements(step))) {
          return false;
        }
        if (copy != null) {
          copy.copyCurrentEvent(parser);
        }
      }
      if (copying) {
        copy.close();
        decide(whole, new JsonText(copied.toString()));
        copy = null;
        copied = null;
      }
      return settle(step);
    }

    /** Reads past the value at the current token, keeping nothing of it unless the whole pointer's value is being copied. */
    private void pass() throws IOException {
      if (copy != null) {
        copy.copyCurrentStructure(parser);
      } else {
        parser.skipChildren();
      }
    }

    /** The members of the object at the current token; a member whose pointers are all decided is passed over. */
    private boolean members(Step step) throws IOException {
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        if (copy != null) {
          copy.writeFieldName(name);
        }
        Step next = step.byName().get(name);
        parser.nextToken();
        if (!value(next != null && open(next) ? next : null)) {
          return false;
        }
      }
      return true;
    }

    private boolean elements(Step step) throws IOException {
      int index = 0;
      while (parser.nextToken() != JsonToken.END_ARRAY) {
        if (!value(index <= step.lastIndex() ? step.byIndex().get(index) : null)) {
          return false;
        }
        index++;
      }
      return true;
    }

    private Object scalar(JsonToken token) throws IOException {
      return switch (token) {
        case VALUE_STRING -> parser.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
        case VALUE_TRUE -> Boolean.TRUE;
        case VALUE_FALSE -> Boolean.FALSE;
        default -> null;
      };
    }

    private boolean open(Step step) {
      for (int id : step.under()) {
        if (!decided[id]) {
          return true;
        }
      }
      return false;
    }

    /** Once a value has been read, every pointer that led to it or into it has what it will have. */
    private boolean settle(Step step) {
      for (int id : step.under()) {
        decide(id, null);
      }
      return undecided > 0;
    }

    private void decide(int id, Object value) {
      if (!decided[id]) {
        decided[id] = true;
        values[id] = value;
        undecided--;
      }
    }

    BodyValues found() {
      Map<String, Object> found = new HashMap<>();
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          found.put(pointers.get(i).text(), values[i]);
        }
      }
      return new BodyValues(found);
    }
  }
}
