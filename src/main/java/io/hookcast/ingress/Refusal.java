package io.hookcast.ingress;

/**
 * Why a request is answered without reaching any backend: {@code status} is the answer, the message its JSON
 * {@code error}. Stackless: refusals are routine under attack or overload, and a stack trace tells nothing.
 */
final class Refusal extends RuntimeException {

  final int status;

  Refusal(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
