package io.hookcast.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Cursor;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SqlClientInternal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A statement written once with {@code #{name}} parameters, rendered by vertx-sql-client-templates in the placeholders
 * of the pool it is made for ({@code ?} on the JDBC client, {@code $1}… on PostgreSQL's), and run on that pool or on
 * any connection of it, a transaction's included; {@code T} gives the value of each name.
 *
 * <p>Not the library's public {@code SqlTemplate}: one of those is bound to the client it was made with, and every
 * write of the store runs on a transaction's connection, so each call would parse its template anew, several times per
 * claim. The library's parsed form, which its own {@code SqlTemplate} runs, is taken once here instead; it is an
 * internal class, so an upgrade that moves it fails the build, and SqlTemplatesTest checks what it renders on both
 * clients.
 *
 * <p>Each name's value is looked up when the statement is made, not per row: a batch row costs a record and an array,
 * not a map of names.
 */
final class Statement<T> {

  private final String sql;
  private final List<Function<T, ?>> values;

  private Statement(String sql, List<Function<T, ?>> values) {
    this.sql = sql;
    this.values = values;
  }

  /**
   * @param values each parameter's value, by name; a name missing here fails at once, not at the first run
   */
  static <T> Statement<T> of(SqlClient pool, String template, Map<String, Function<T, ?>> values) {
    io.vertx.sqlclient.templates.impl.SqlTemplate rendered =
      io.vertx.sqlclient.templates.impl.SqlTemplate.create((SqlClientInternal) pool, template);
    List<Function<T, ?>> byPlaceholder = new ArrayList<>(rendered.numberOfParams());
    for (int i = 0; i < rendered.numberOfParams(); i++) {
      Function<T, ?> value = values.get(rendered.apply(i));
      if (value == null) {
        throw new IllegalArgumentException("no value for #{" + rendered.apply(i) + "} in: " + template);
      }
      byPlaceholder.add(value);
    }
    return new Statement<>(rendered.getSql(), byPlaceholder);
  }

  /**
   * A statement whose parameters are given by name at each run ({@link #arguments}): for statements off the hot path and
   * for those whose text is put together per call.
   */
  static Statement<Map<String, Object>> named(SqlClient pool, String template) {
    io.vertx.sqlclient.templates.impl.SqlTemplate rendered =
      io.vertx.sqlclient.templates.impl.SqlTemplate.create((SqlClientInternal) pool, template);
    List<Function<Map<String, Object>, ?>> byPlaceholder = new ArrayList<>(rendered.numberOfParams());
    for (int i = 0; i < rendered.numberOfParams(); i++) {
      String name = rendered.apply(i);
      byPlaceholder.add(arguments -> {
        if (!arguments.containsKey(name)) {
          throw new IllegalArgumentException("no value for #{" + name + "} in: " + template);
        }
        return arguments.get(name);
      });
    }
    return new Statement<>(rendered.getSql(), byPlaceholder);
  }

  /** Names and values, alternately, as a map that takes nulls (SQL NULL). */
  static Map<String, Object> arguments(Object... namesAndValues) {
    Map<String, Object> arguments = new HashMap<>(namesAndValues.length);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      arguments.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return arguments;
  }

  Future<RowSet<Row>> execute(SqlClient client, T arguments) {
    return client.preparedQuery(sql).execute(tuple(arguments));
  }

  /**
   * Runs the statement as a cursor, {@code rows} rows a read, each read a round trip of its own that ends before the
   * next is sent; in a transaction, as PostgreSQL keeps a cursor only within one.
   */
  Future<Void> forEachRow(SqlConnection connection, T arguments, int rows, Consumer<Row> each) {
    return connection.prepare(sql).compose(prepared -> read(prepared.cursor(tuple(arguments)), rows, each)
      // Closing the statement closes its cursor too, should a read have failed.
      .eventually(prepared::close));
  }

  private static Future<Void> read(Cursor cursor, int rows, Consumer<Row> each) {
    return cursor.read(rows).compose(read -> {
      read.forEach(each);
      return cursor.hasMore() ? read(cursor, rows, each) : cursor.close();
    });
  }

  /** One statement per row, sent together; the result holds each one's update count ({@link Dialect#updateCounts}). */
  Future<RowSet<Row>> executeBatch(SqlClient client, List<T> rows) {
    List<Tuple> tuples = new ArrayList<>(rows.size());
    for (T row : rows) {
      tuples.add(tuple(row));
    }
    return client.preparedQuery(sql).executeBatch(tuples);
  }

  private Tuple tuple(T arguments) {
    Object[] bound = new Object[values.size()];
    for (int i = 0; i < bound.length; i++) {
      bound[i] = values.get(i).apply(arguments);
    }
    return Tuple.wrap(bound);
  }
}
