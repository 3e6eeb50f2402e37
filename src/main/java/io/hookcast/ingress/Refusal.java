package io.hookcast.ingress;

import java.util.List;

/**
 * Why a request is answered without reaching any backend: {@code status} is the answer, the message its JSON
 * {@code error}. Stackless: refusals are routine under attack or overload, and a stack trace tells nothing.
 */
final class Refusal extends RuntimeException {

  final int status;
  /** On a 405, the methods that are taken, for the {@code Allow} header; otherwise null. */
  final String allow;

  Refusal(int status, String message) {
    this(status, message, null);
  }

  private Refusal(int status, String message, String allow) {
    super(message, null, false, false);
    this.status = status;
    this.allow = allow;
  }

  static Refusal methodNotAllowed(String message, List<String> allowed) {
    return new Refusal(405, message, String.join(", ", allowed));
  }
}
