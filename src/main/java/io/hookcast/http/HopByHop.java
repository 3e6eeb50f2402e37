package io.hookcast.http;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection, so Hookcast never passes them from
 * the sender to a backend nor from a backend back to the sender. Both directions filter with this one list.
 */
public final class HopByHop {

  private static final List<String> NAMES = List.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
    "upgrade", "proxy-connection", "proxy-authenticate", "proxy-authorization");

  private HopByHop() {
  }

  /**
   * The hop-by-hop names and {@code alsoDropped}, compared without regard to case (and without lower-casing every
   * received name).
   */
  public static Set<String> namesAnd(String... alsoDropped) {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(NAMES);
    names.addAll(List.of(alsoDropped));
    return names;
  }

  /** The names a message's {@code Connection} header lists as hop-by-hop as well; empty, and not allocated, without one. */
  public static Set<String> listedInConnection(MultiMap headers) {
    List<String> values = headers.getAll("Connection");
    if (values.isEmpty()) {
      return Set.of();
    }
    List<String> tokens = new ArrayList<>();
    for (String value : values) {
      for (String token : value.split(",")) {
        if (!token.isBlank()) {
          tokens.add(token.trim());
        }
      }
    }
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(tokens);
    return names;
  }
}
