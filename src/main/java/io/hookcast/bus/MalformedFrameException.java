package io.hookcast.bus;

/**
 * A cluster frame that this node will not read: malformed, of another wire version, or larger than its limits.
 * Thrown by the codecs before anything is allocated from the frame's own lengths.
 */
public final class MalformedFrameException extends RuntimeException {

  private final String sender;
  /** Where to send {@link #answer}; {@code null} for a frame that does not say where its sender waits. */
  private final String answerTo;
  private final Reply answer;

  MalformedFrameException(String sender, String reason) {
    this(sender, reason, null, null);
  }

  private MalformedFrameException(String sender, String reason, String answerTo, Reply answer) {
    super(reason, null, false, false);
    this.sender = sender;
    this.answerTo = answerTo;
    this.answer = answer;
  }

  /**
   * The same refusal, for a frame that did say where its sender waits (a hand-off whose reply address, exchange and
   * slot could be read), so that the sender can be told at once instead of at its deadline.
   */
  MalformedFrameException answering(String answerTo, Reply answer) {
    return new MalformedFrameException(sender, getMessage(), answerTo, answer);
  }

  /** The address to send {@link #answer()} to, or {@code null}. */
  String answerTo() {
    return answerTo;
  }

  Reply answer() {
    return answer;
  }

  /** The sender as an operator reads it in a log line or an error. */
  public String describeSender() {
    return sender == null ? "an unknown node" : "node '" + sender + "'";
  }
}
