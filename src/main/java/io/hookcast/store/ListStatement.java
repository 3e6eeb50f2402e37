package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A {@link Statement} holding a list of items ({@code IN (...)}, {@code VALUES ...}) whose length varies per call. The
 * length is rounded up to a power of two, the last item repeated to fill, which an {@code IN} list does not notice:
 * a few statements are made, each once, instead of one parsed per call (a claim reads its bodies this way, and a
 * batch of 500 accepts its senders' keys). Those up to a length given at construction are made then, at the store's
 * open, so that parsing them never delays a claim on an event loop.
 */
final class ListStatement<I> {

  private final SqlClient pool;
  private final String template;
  private final String item;
  private final Map<String, Function<I, ?>> values;
  private final Map<Integer, Statement<List<I>>> byLength = new ConcurrentHashMap<>();

  /**
   * @param template the statement, {@code %s} where the list goes
   * @param item     one item's text, such as {@code (#{route}, #{sender})}; joined with commas
   * @param values   each of an item's values, by its name in {@code item}
   * @param made     lists up to this long have their statement made at once
   */
  ListStatement(SqlClient pool, String template, String item, Map<String, Function<I, ?>> values, int made) {
    this.pool = pool;
    this.template = template;
    this.item = item;
    this.values = values;
    for (int length = 1; length < 2 * made; length *= 2) {
      byLength.put(length, make(length));
    }
  }

  /** @param items at least one */
  Future<RowSet<Row>> execute(SqlClient client, List<I> items) {
    int length = items.size() == 1 ? 1 : Integer.highestOneBit(items.size() - 1) << 1;
    return byLength.computeIfAbsent(length, this::make).execute(client, items);
  }

  private Statement<List<I>> make(int length) {
    StringJoiner list = new StringJoiner(", ");
    Map<String, Function<List<I>, ?>> indexed = new HashMap<>();
    for (int k = 0; k < length; k++) {
      String suffix = "_" + k;
      String numbered = item;
      int at = k;
      for (Map.Entry<String, Function<I, ?>> value : values.entrySet()) {
        numbered = numbered.replace("#{" + value.getKey() + "}", "#{" + value.getKey() + suffix + "}");
        indexed.put(value.getKey() + suffix, items -> value.getValue().apply(items.get(Math.min(at, items.size() - 1))));
      }
      list.add(numbered);
    }
    return Statement.of(pool, template.replace("%s", list.toString()), indexed);
  }
}
