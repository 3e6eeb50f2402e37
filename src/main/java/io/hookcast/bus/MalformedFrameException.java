package io.hookcast.bus;

/**
 * A cluster frame that this node will not read: malformed, of another wire version, or larger than its limits.
 * Thrown by the codecs before anything is allocated from the frame's own lengths.
 */
public final class MalformedFrameException extends RuntimeException {

  /** The failure code of the reply a sender gets for a webhook frame its forwarder refused. */
  public static final int FAILURE_CODE = 400;

  private final String sender;

  MalformedFrameException(String sender, String reason) {
    super(reason, null, false, false);
    this.sender = sender;
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
