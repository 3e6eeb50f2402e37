package io.hookcast.http;

/**
 * A request target with each query parameter's value redacted, names kept: some senders put a token in the URL (Meta's
 * {@code hub.verify_token}, a shared secret in {@code ?key=}), which the webhook log and the operator API show as
 * {@value #REDACTED} unless {@code http.accessLog.query} is {@code "full"}. Backends still receive the target as sent.
 */
public final class QueryValues {

  private static final String REDACTED = "<redacted>";

  private QueryValues() {
  }

  /** {@code target} as the webhook log and the operator API show it: as sent with {@code fullQuery}, else {@link #redacted}. */
  public static String shown(String target, boolean fullQuery) {
    return fullQuery ? target : redacted(target);
  }

  public static String redacted(String target) {
    int query = target.indexOf('?');
    if (query < 0) {
      return target;
    }
    StringBuilder shown = new StringBuilder(target.length()).append(target, 0, query + 1);
    int start = query + 1;
    while (start <= target.length()) {
      int end = target.indexOf('&', start);
      end = end < 0 ? target.length() : end;
      int equals = target.indexOf('=', start);
      shown.append(target, start, equals >= 0 && equals < end ? equals + 1 : end);
      if (equals >= 0 && equals < end) {
        shown.append(REDACTED);
      }
      if (end < target.length()) {
        shown.append('&');
      }
      start = end + 1;
    }
    return shown.toString();
  }
}
