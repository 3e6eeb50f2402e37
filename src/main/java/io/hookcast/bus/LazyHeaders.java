package io.hookcast.bus;

import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A backend's response headers, worked out only when something reads them. Most results are read for their status
 * alone: only a route answering with its primary backend's response, the asynchronous schedule's
 * {@code Retry-After} and a reply crossing to another node look at the headers, so the list is not built for every
 * response on the hot path.
 * <p>
 * Immutable. Two threads reading it at once may both work it out, with the same result.
 */
final class LazyHeaders extends AbstractList<Map.Entry<String, String>> {

  private final Supplier<List<Map.Entry<String, String>>> source;
  private volatile List<Map.Entry<String, String>> headers;

  LazyHeaders(Supplier<List<Map.Entry<String, String>>> source) {
    this.source = source;
  }

  @Override
  public Map.Entry<String, String> get(int index) {
    return headers().get(index);
  }

  @Override
  public int size() {
    return headers().size();
  }

  private List<Map.Entry<String, String>> headers() {
    List<Map.Entry<String, String>> known = headers;
    if (known == null) {
      known = List.copyOf(source.get());
      headers = known;
    }
    return known;
  }
}
