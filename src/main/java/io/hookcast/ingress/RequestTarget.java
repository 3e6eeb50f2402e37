package io.hookcast.ingress;

import java.nio.charset.StandardCharsets;

/**
 * The request target backends receive: the sender's path normalised, then its query.
 * <p>
 * Refused (400) rather than repaired: anything but origin form ({@code http://host/x}, {@code host:443},
 * {@code *}); a path that starts with {@code //}, which many frameworks read as another host; a path with a
 * {@code .} or {@code ..} segment, or a control character, in its text or in its percent-decoding (so
 * {@code %2e%2e} too); a path percent-encoded twice over ({@code %252e%252e}, {@code /git%2568ub}). A backend then
 * cannot be made to see a target outside its base path, or another route's, however many times it decodes.
 * Refused too, encoded or not, so that no backend reads a path as another route's: a {@code ;} (path parameters:
 * Tomcat, Jetty and Spring read {@code /github;x/push} as {@code /github/push}), an encoded {@code /} and a
 * {@code \} (a backend that decodes {@code %2F}, or reads {@code \} as {@code /}, reads {@code /github%2Fpush} as
 * {@code /github/push}), while Hookcast routes them elsewhere. Removing dot segments instead (as RFC 3986 would)
 * guesses at what a hostile sender meant; no webhook sender writes them.
 * <p>
 * Normalised as RFC 3986 section 6.2.2 and NGINX's {@code merge_slashes}: percent-encoded unreserved characters
 * decoded, other percent-encodings upper-cased, characters that may not appear in a path percent-encoded, runs
 * of {@code /} merged. The query is passed on as sent, with only characters that may not appear in it encoded.
 */
final class RequestTarget {

  private static final String UNRESERVED_MARKS = "-._~";
  private static final String PATH_DELIMITERS = "!$&'()*+,;=:@/";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private RequestTarget() {
  }

  static String normalise(String target) {
    if (target.isEmpty() || target.charAt(0) != '/') {
      throw refused("the request target must be a path starting with '/' (origin form); absolute URLs, authorities and '*' are refused");
    }
    if (target.indexOf('#') >= 0) {
      throw refused("the request target must not contain a fragment ('#')");
    }
    int queryStart = target.indexOf('?');
    String path = queryStart < 0 ? target : target.substring(0, queryStart);
    String query = queryStart < 0 ? null : target.substring(queryStart + 1);
    checkEveryDecoding(path);
    StringBuilder normalised = new StringBuilder(target.length() + 16);
    appendPath(normalised, path);
    if (query != null) {
      normalised.append('?');
      appendQuery(normalised, query);
    }
    return normalised.toString();
  }

  /**
   * Hookcast routes and forwards the path decoded once; one whose decoding a second round would change again
   * ({@code /git%2568ub} to {@code /git%68ub} to {@code /github}) would reach a backend that decodes twice as a path
   * Hookcast never saw, perhaps another route's. With those refused, every later decoding is the first, so checking
   * the path and its one decoding covers them all. A {@code %} the first decoding leaves that is not followed by two
   * hex digits ({@code /hooks/50%25}) is a literal one, which no decoding changes.
   */
  private static void checkEveryDecoding(String path) {
    checkPath(path);
    String decoded = percentDecoded(path);
    checkPath(decoded);
    for (int i = decoded.indexOf('%'); i >= 0; i = decoded.indexOf('%', i + 1)) {
      if (i + 2 < decoded.length() && Character.digit(decoded.charAt(i + 1), 16) >= 0
        && Character.digit(decoded.charAt(i + 2), 16) >= 0) {
        throw refused("the path must not be percent-encoded twice over (%25 followed by two hex digits, as in "
          + "%2568): a backend that decodes it twice would read another path than Hookcast routes");
      }
    }
  }

  private static void checkPath(String path) {
    if (path.indexOf('\\') >= 0 || containsIgnoringCase(path, "%2F") || containsIgnoringCase(path, "%5C")) {
      throw refused("the path must not contain an encoded '/' (%2F) or a '\\' (or an encoding of either): a backend that "
        + "decodes it, or reads '\\' as '/', would take /github%2Fpush for /github/push, which Hookcast routes elsewhere");
    }
    if (path.startsWith("//")) {
      throw refused("the path must not start with '//' (or an encoding of it)");
    }
    if (path.indexOf(';') >= 0) {
      throw refused("the path must not contain ';' (or an encoding of it): backends read path parameters differently, "
        + "and /github;x/push could reach /github's backends as another route's webhook");
    }
    int segmentStart = 1;
    for (int i = 1; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        int length = i - segmentStart;
        if ((length == 1 || length == 2) && path.startsWith("..".substring(0, length), segmentStart)) {
          throw refused("the path must not contain '.' or '..' segments (or encodings of them)");
        }
        segmentStart = i + 1;
      } else if (isControl(path.charAt(i))) {
        throw refused("the path must not contain control characters (or encodings of them)");
      }
    }
  }

  private static boolean containsIgnoringCase(String text, String ascii) {
    for (int i = text.indexOf('%'); i >= 0 && i + ascii.length() <= text.length(); i = text.indexOf('%', i + 1)) {
      if (text.regionMatches(true, i, ascii, 0, ascii.length())) {
        return true;
      }
    }
    return false;
  }

  /** One round of percent-decoding, each byte as one char: enough to find dots, slashes and control bytes. */
  private static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder decoded = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int value = hexByte(text, i);
        decoded.append((char) value);
        i += 2;
      } else {
        decoded.append(c);
      }
    }
    return decoded.toString();
  }

  private static void appendPath(StringBuilder out, String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%') {
        int value = hexByte(path, i);
        i += 2;
        if (isUnreserved((char) value)) {
          out.append((char) value);
        } else {
          appendEncoded(out, value);
        }
      } else if (c == '/') {
        if (out.length() == 0 || out.charAt(out.length() - 1) != '/') {
          out.append('/');
        }
      } else if (isUnreserved(c) || PATH_DELIMITERS.indexOf(c) >= 0) {
        out.append(c);
      } else {
        appendEncoded(out, c);
      }
    }
  }

  private static void appendQuery(StringBuilder out, String query) {
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (isControl(c)) {
        throw refused("the query must not contain control characters");
      }
      if (c > 0x7E || c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}') {
        appendEncoded(out, c);
      } else {
        out.append(c);
      }
    }
  }

  /** Netty hands the target over one char per received byte; a char beyond a byte is encoded as UTF-8. */
  private static void appendEncoded(StringBuilder out, int c) {
    if (c <= 0xFF) {
      out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      return;
    }
    for (byte b : String.valueOf((char) c).getBytes(StandardCharsets.UTF_8)) {
      appendEncoded(out, b & 0xFF);
    }
  }

  private static int hexByte(String text, int percentAt) {
    if (percentAt + 2 >= text.length()) {
      throw refused("the path has an incomplete percent-encoding");
    }
    int high = Character.digit(text.charAt(percentAt + 1), 16);
    int low = Character.digit(text.charAt(percentAt + 2), 16);
    if (high < 0 || low < 0) {
      throw refused("the path has an invalid percent-encoding");
    }
    return high << 4 | low;
  }

  private static boolean isUnreserved(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || UNRESERVED_MARKS.indexOf(c) >= 0;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || c == 0x7F;
  }

  private static Refusal refused(String why) {
    return new Refusal(400, why);
  }
}
