package io.hookcast.bus;

/**
 * A cluster frame that this node will not read: malformed, of another wire version, or larger than its limits.
 * Thrown by the codecs before anything is allocated from the frame's own lengths.
 */
public final class MalformedFrameException extends RuntimeException {

  /** The failure code of the reply a sender gets for a webhook frame its forwarder refused. */
  public static final int FAILURE_CODE = 400;

  private final String sender;
  /** Where to tell the sender of a hand-off whose webhook could not be read; {@code null} for any other frame. */
  private final Handoff answerTo;

  MalformedFrameException(String sender, String reason) {
    this(sender, reason, null);
  }

  private MalformedFrameException(String sender, String reason, Handoff answerTo) {
    super(reason, null, false, false);
    this.sender = sender;
    this.answerTo = answerTo;
  }

  /**
   * The same refusal, for a hand-off whose reply address, exchange and slot could be read: {@code answerTo} carries
   * them (and no webhook), so that the fan-out can be told at once instead of at its deadline.
   */
  MalformedFrameException answerTo(Handoff answerTo) {
    return new MalformedFrameException(sender, getMessage(), answerTo);
  }

  /** The hand-off to answer, without its webhook, or {@code null}. */
  Handoff answerTo() {
    return answerTo;
  }

  /** The node name the frame claims to come from, or {@code null} when not even that could be read. */
  public String sender() {
    return sender;
  }

  /** The sender as an operator reads it in a log line or an error. */
  public String describeSender() {
    return sender == null ? "an unknown node" : "node '" + sender + "'";
  }
}
