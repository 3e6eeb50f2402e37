package io.hookcast.store;

/**
 * Text as both stores keep it. PostgreSQL's text types refuse U+0000, which a sender's JSON body can put in an order
 * key and a backend's binary answer in an attempt's first bytes; one such value failed the whole batch it was written
 * in (every webhook of an accept batch answered 503, every attempt of a record batch delivered again). Each U+0000 is
 * stored as U+FFFD, the replacement character, in both stores alike.
 */
final class StoredText {

  private StoredText() {
  }

  static String of(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }
}
